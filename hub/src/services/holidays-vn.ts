// Vietnam's public holidays (days off with pay), for the promised dates of public services.
// Source: Bộ luật Lao động 2019 (Labour Code 45/2019/QH14), Điều 112: Tết Dương lịch 01/01; Tết
// Âm lịch 5 days; Giỗ Tổ Hùng Vương 10/3 âm lịch; Chiến thắng 30/4; Quốc tế lao động 01/5; Quốc
// khánh 02/9 and one day before or after it; a holiday on a weekly day off is taken on the next
// working day (Điều 111). The lunar holidays and the day next to 02/9 are decided each year by the
// Prime Minister (announced by the Ministry of Home Affairs, formerly MOLISA): they are listed here
// per year from those announcements. Add the next year when it is announced. Make-up Saturdays
// that swap a working day are not modelled (offices open on them, the promised date only gets
// earlier by a day at most).

/** Fixed solar holidays (dd-mm), every year. */
export const SOLAR_HOLIDAYS = ['01-01', '30-04', '01-05', '02-09'] as const;

/** Per-year days off that depend on the lunar calendar or a yearly decision (YYYY-MM-DD). */
export const YEARLY_DAYS_OFF: Record<number, string[]> = {
  // Tết Ất Tỵ 27/01–31/01 (29/01 is mùng 1); Giỗ Tổ 07/4; Quốc khánh 01/9 with 02/9
  2025: ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-04-07', '2025-09-01'],
  // Tết Bính Ngọ 16/02–20/02 (17/02 is mùng 1); Giỗ Tổ 26/4 is a Sunday, taken on 27/4; Quốc khánh 01/9 with 02/9
  2026: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-27', '2026-09-01'],
};
