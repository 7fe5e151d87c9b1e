// A line with the hardest Vietnamese marks (stacked tone + vowel marks), for the printer tests.
export const telexFree = 'Người nộp: Nguyễn Thị Mai — ở, ữ, ặ, ỷ, ễ, Đ';
