// Simple line pictures of each step (no image files to load): what to do with which device.
// Decorative to assistive tech: the instruction text next to each says the same.
import type { JSX } from 'solid-js';

const frame = (children: JSX.Element) => (
  <svg
    class="picture"
    viewBox="0 0 200 160"
    aria-hidden="true"
    fill="none"
    stroke="#0b3d91"
    stroke-width="5"
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    {children}
  </svg>
);

export const pictures: Record<string, () => JSX.Element> = {
  card: () =>
    frame(
      <>
        <rect x="40" y="100" width="120" height="40" rx="8" fill="#e3e8ef" />
        <rect x="70" y="20" width="60" height="90" rx="6" fill="#fff" />
        <rect x="80" y="34" width="18" height="14" rx="2" fill="#d4a017" stroke="#8a6d00" />
        <path d="M100 62v28m-10-10l10 10 10-10" stroke="#c8102e" />
      </>,
    ),
  bp: () =>
    frame(
      <>
        <path d="M20 120h160" />
        <path d="M30 110c20-30 60-40 100-38l30 2" stroke-width="14" stroke="#f0c8a8" />
        <rect x="70" y="66" width="44" height="32" rx="6" fill="#9ec5ff" />
        <rect x="140" y="20" width="44" height="40" rx="6" fill="#fff" />
        <circle cx="162" cy="50" r="5" fill="#1b7f3b" stroke="#1b7f3b" />
        <path d="M92 66c0-20 30-30 52-16" />
      </>,
    ),
  oximeter: () =>
    frame(
      <>
        <path d="M30 110h70c20 0 30-10 30-20s-10-18-30-18H50" stroke-width="12" stroke="#f0c8a8" />
        <rect x="96" y="62" width="56" height="40" rx="10" fill="#9ec5ff" />
        <path d="M104 82h40" />
      </>,
    ),
  temperature: () =>
    frame(
      <>
        <circle cx="70" cy="80" r="44" fill="#fde7d4" stroke="#b07a50" />
        <circle cx="56" cy="70" r="4" fill="#333" />
        <circle cx="84" cy="70" r="4" fill="#333" />
        <rect x="136" y="60" width="40" height="40" rx="8" fill="#9ec5ff" />
        <path d="M118 80h14" stroke-dasharray="4 6" stroke="#c8102e" />
      </>,
    ),
  weight: () =>
    frame(
      <>
        <rect x="40" y="110" width="120" height="24" rx="8" fill="#9ec5ff" />
        <path d="M84 108V60m32 48V60M84 60h32M100 60V30" />
        <circle cx="100" cy="22" r="10" />
      </>,
    ),
  height: () =>
    frame(
      <>
        <path d="M160 150V10M140 14h30" />
        <rect x="120" y="6" width="36" height="14" rx="4" fill="#9ec5ff" />
        <path d="M88 150V80m20 70V80M88 80h20M98 80V52" />
        <circle cx="98" cy="40" r="12" />
        <path d="M138 24v20" stroke-dasharray="4 6" stroke="#c8102e" />
      </>,
    ),
};
