// Printing a receipt on the booth's thermal printer through the station agent (POST /agent/print);
// the agent renders it (Vietnamese font, status QR) and sends it to the printer's serial port.
import { AGENT_ROUTES, type PrintReceiptBody } from '@tram/contracts';
import { agentHeaders } from '../../clients/agent.ts';

export type PrintState = 'printing' | 'printed' | 'no_printer' | 'failed';

export async function printReceipt(body: PrintReceiptBody): Promise<PrintState> {
  try {
    const r = await fetch(AGENT_ROUTES.print.path, {
      method: AGENT_ROUTES.print.method,
      headers: { ...agentHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.ok) return 'printed';
    const j = await r.json().catch(() => null);
    return j?.error?.code === 'no_printer' ? 'no_printer' : 'failed';
  } catch {
    return 'failed';
  }
}

/** dd/mm/yyyy in Vietnam of an instant (what the paper shows as the promised date). */
export const vnDate = (iso: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(iso),
  );
