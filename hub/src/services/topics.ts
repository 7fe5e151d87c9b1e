// The review topics a staff socket hears: its authority's submissions in its wards (police: the
// ward police's; commune officers: the commune committee's). Nobody else hears them.
import { REVIEWER_ROLE, reviewTopic, type Authority, type Topic } from '@tram/contracts';
import type { Staff } from '../auth/staff.ts';

export function reviewerTopics(staff: Pick<Staff, 'role' | 'wardIds'>): Topic[] {
  const authority = (Object.entries(REVIEWER_ROLE) as [Authority, string][]).find(([, role]) => role === staff.role)?.[0];
  return authority ? staff.wardIds.map((w) => reviewTopic(authority, w)) : [];
}
