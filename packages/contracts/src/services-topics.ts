// Where `service.changed` goes: the reviewing authority's officers of the submission's ward (ward
// police, commune officers), so a commune officer hears new and resubmitted applications without
// hearing the ward's SOS calls.
import type { Topic } from './identity.ts';
import type { Authority } from './services-catalogue.ts';

export const reviewTopic = (authority: Authority, wardId: number): Topic => `topic/services/${authority}/${wardId}`;
