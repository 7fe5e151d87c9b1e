// The CapabilityStatement: exactly what routes.ts implements, nothing more.
import { TOPIC, BACKPORT } from './subscriptions/notify.ts';
const param = (name: string, type: string, documentation: string) => ({ name, type, documentation });
const COMMON = [
  param('_count', 'number', 'Page size, 0..200 (default 50)'),
  param('_offset', 'number', 'Paging offset (used in next/previous links)'),
];

export function capabilityStatement(base: string, software: { version: string; date: string }) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: software.date,
    publisher: 'Trạm',
    kind: 'instance',
    software: { name: 'Trạm hub', version: software.version },
    implementation: {
      description: 'Trạm hub FHIR facade: booth vital signs (read-only; Observations arrive through station ingest)',
      url: base,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          description:
            "Clinician staff session (cookie from POST /api/auth/login). The officer who owns an escalated emergency call and the 115 medics in it may use Subscription only, for that call's patient while the call lasts. Other roles receive 403. Every read and search is audited.",
        },
        resource: [
          {
            type: 'Patient',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              param('_id', 'token', 'Citizen id'),
              param('identifier', 'token', 'CCCD number: https://id.gov.vn/cccd|<12 digits>'),
              ...COMMON,
            ],
            documentation: 'Patient search requires _id or identifier.',
          },
          {
            type: 'Observation',
            profile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
            supportedProfile: ['bodytemp', 'bodyheight', 'bodyweight', 'bmi', 'heartrate', 'resprate', 'oxygensat', 'bp'].map(
              (p) => `http://hl7.org/fhir/StructureDefinition/${p}`,
            ),
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              param('_id', 'token', 'Observation id'),
              param('patient', 'reference', 'Patient id or Patient/<id>; commas for OR'),
              param('subject', 'reference', 'Patient/<id>; commas for OR'),
              param('code', 'token', 'system|code or code; commas for OR'),
              param('category', 'token', 'system|code or code; commas for OR'),
              param('date', 'date', 'effective time; prefixes eq, gt, ge, lt, le; repeat for AND; no zone = UTC+07:00'),
              param('encounter', 'reference', 'Encounter id or Encounter/<id>'),
              ...COMMON,
            ],
            operation: [
              {
                name: 'lastn',
                definition: 'http://hl7.org/fhir/OperationDefinition/Observation-lastn',
                documentation: 'GET only; parameters max, patient (or subject, required), category, code',
              },
              {
                name: 'validate',
                definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
                documentation: 'POST an Observation; returns an OperationOutcome (nothing is stored)',
              },
            ],
            documentation: '_sort supports date and -date (default -date).',
          },
          {
            type: 'Encounter',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              param('_id', 'token', 'Encounter (citizen session) id'),
              param('patient', 'reference', 'Patient id'),
              param('subject', 'reference', 'Patient/<id>'),
              ...COMMON,
            ],
          },
          {
            type: 'Device',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [param('_id', 'token', 'Device id'), ...COMMON],
          },
          {
            type: 'ClinicalImpression',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              param('_id', 'token', 'ClinicalImpression id'),
              param('patient', 'reference', 'Patient id'),
              param('subject', 'reference', 'Patient/<id>'),
              ...COMMON,
            ],
            documentation: 'Visit notes written by the consults module.',
          },
          {
            type: 'Subscription',
            extension: [{ url: `${BACKPORT}/capabilitystatement-subscriptiontopic-canonical`, valueCanonical: TOPIC }],
            profile: `${BACKPORT}/backport-subscription`,
            interaction: [{ code: 'create' }, { code: 'read' }, { code: 'delete' }],
            operation: [
              {
                name: 'get-ws-binding-token',
                definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token',
              },
              {
                name: 'status',
                definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status',
              },
              {
                name: 'events',
                definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events',
              },
            ],
            documentation: `Topic ${TOPIC} (a vital-signs Observation was stored). Channel websocket only (at [base]/ws; bind-with-token as plain text or Medplum JSON); filter Observation?patient=<id> and/or Observation?encounter=<id> (one required); payload empty, id-only or full-resource (default); heartbeat period 1..3600 s (default 60). Only the owner may read, delete or bind a subscription.`,
          },
        ],
        interaction: [{ code: 'batch', documentation: 'Batch of GET (read/search) entries only; transactions are not supported' }],
      },
    ],
  };
}
