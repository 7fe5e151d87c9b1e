// The silent SOS's quick replies, apart from the schemas (followup.ts) so the kiosk page can show
// them without bundling zod.
/** The resident's quick replies on the silent SOS, in the kiosk's order. */
export const QUICK_REPLIES = ['yes', 'no', 'someone_here', 'need_ambulance', 'fire'] as const;
export type QuickReply = (typeof QUICK_REPLIES)[number];
/** What a quick reply says, Vietnamese first (the text stored with the message). */
export const QUICK_REPLY_TEXT: Record<QuickReply, { vi: string; en: string }> = {
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  someone_here: { vi: 'Có người ở đây', en: 'Someone is here' },
  need_ambulance: { vi: 'Cần cấp cứu y tế', en: 'Need an ambulance' },
  fire: { vi: 'Cháy', en: 'Fire' },
};
