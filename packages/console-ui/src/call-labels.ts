// The call view's own words: it is shared by the consoles, so it carries its labels and is told the
// console's language instead of importing either console's dictionary.
import type { Lang } from './i18n.tsx';

const vi = {
  me: 'Tôi',
  controls: 'Điều khiển cuộc gọi',
  mute: 'Tắt tiếng',
  unmute: '● Đang tắt tiếng — bật lại',
  cameraOff: 'Tắt camera',
  cameraOn: '● Camera đang tắt — bật lại',
  mediaFailed: 'Không kết nối được hình/tiếng: {reason}',
};

export const CALL_LABELS: Record<Lang, { [K in keyof typeof vi]: string }> = {
  vi,
  en: {
    me: 'Me',
    controls: 'Call controls',
    mute: 'Mute',
    unmute: '● Muted — unmute',
    cameraOff: 'Camera off',
    cameraOn: '● Camera off — turn on',
    mediaFailed: 'Media failed: {reason}',
  },
};
