// Every kiosk string, Vietnamese first. Components never hard-code text.
import { createSignal } from 'solid-js';

const vi = {
  title: 'Trạm công dân',
  switchLang: 'English',
  sos: 'GỌI KHẨN CẤP',
  sosHint: 'Chạm để gọi công an phường — không cần thẻ',
  calling: 'Đang gọi công an phường…',
  retrying: 'Đang gọi… đang thử lại kết nối',
  ringing: 'Đang chờ cán bộ trả lời. Xin giữ bình tĩnh và ở lại trước màn hình.',
  answered: (name: string) => `${name} đã trả lời`,
  escalated: 'Chưa có cán bộ trả lời. Nếu nguy cấp, hãy gọi ngay:',
  ended: 'Cuộc gọi đã kết thúc',
  hangup: 'Kết thúc cuộc gọi',
  fallback: 'Nếu không kết nối được, hãy gọi',
  you: 'Bạn',
  officer: 'Cán bộ',
  hubDown: 'Mất kết nối tới trung tâm — cuộc gọi khẩn cấp vẫn được gửi lại tự động',
  cameraMissing: 'Không bật được máy quay hoặc micrô',
};

const en: typeof vi = {
  title: 'Citizen station',
  switchLang: 'Tiếng Việt',
  sos: 'EMERGENCY CALL',
  sosHint: 'Tap to call the ward police — no card needed',
  calling: 'Calling the ward police…',
  retrying: 'Calling… retrying the connection',
  ringing: 'Waiting for an officer to answer. Please stay calm and stay in front of the screen.',
  answered: (name: string) => `${name} has answered`,
  escalated: 'No officer has answered yet. If in danger, call now:',
  ended: 'The call has ended',
  hangup: 'End call',
  fallback: 'If the call cannot connect, dial',
  you: 'You',
  officer: 'Officer',
  hubDown: 'Connection to the centre lost — emergency calls are still re-sent automatically',
  cameraMissing: 'The camera or microphone could not be started',
};

export type Strings = typeof vi;
const [lang, setLang] = createSignal<'vi' | 'en'>('vi');
export const t = () => (lang() === 'vi' ? vi : en);
export const toggleLang = () => { setLang(lang() === 'vi' ? 'en' : 'vi'); document.documentElement.lang = lang(); };
