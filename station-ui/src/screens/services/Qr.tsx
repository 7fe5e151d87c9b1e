// A QR code as crisp SVG squares (qrcode-generator, MIT): receipt numbers and VietQR payloads.
import qrcode from 'qrcode-generator';

export function Qr(props: { text: string; size?: number; label: string }) {
  const path = () => {
    const q = qrcode(0, 'M');
    q.addData(props.text, 'Byte');
    q.make();
    const n = q.getModuleCount();
    let d = '';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (q.isDark(r, c)) d += `M${c + 4},${r + 4}h1v1h-1z`;
    return { d, n: n + 8 };
  };
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      data-qr={props.text}
      viewBox={`0 0 ${path().n} ${path().n}`}
      width={props.size ?? 260}
      height={props.size ?? 260}
      shape-rendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path().d} fill="#000" />
    </svg>
  );
}
