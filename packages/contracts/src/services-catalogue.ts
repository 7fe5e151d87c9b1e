// The public-services catalogue, defined once: every service the station offers, what it asks, who
// handles it, what it costs and how long it takes. Plain data (no zod) so the kiosk page can bundle
// it; services.ts builds each form's zod schema from these declarations (the hub validates with it).

/** Who handles a service. */
export const AUTHORITIES = [
  'ward_police',
  'commune_committee',
  'justice_department',
  'social_insurance',
  'utility',
  'building_management',
] as const;
export type Authority = (typeof AUTHORITIES)[number];

/** Which staff role reviews the submissions of an authority that reviews here. */
export const REVIEWER_ROLE: Partial<Record<Authority, 'police' | 'commune_officer'>> = {
  ward_police: 'police',
  commune_committee: 'commune_officer',
};

export const CATEGORIES = ['residence', 'id_card', 'civil_status', 'justice', 'payments'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Chip fields the hub holds for the identified citizen (from the verified DG1/DG13). */
export type PrefillSource = 'fullName' | 'idNumber' | 'dateOfBirth' | 'sex';

export type FieldKind = 'text' | 'longText' | 'idNumber' | 'date' | 'phone' | 'select' | 'members' | 'number';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface FieldSpec {
  name: string;
  label: Bilingual;
  kind: FieldKind;
  required: boolean;
  /** Filled by the hub from the verified chip; the kiosk shows it and does not ask. */
  prefill?: PrefillSource;
  /** for `select` */
  options?: readonly { value: string; label: Bilingual }[];
  maxLength?: number;
  /** for `number` */
  min?: number;
  max?: number;
}

export type Delivery = 'reviewed_here' | 'forwarded' | 'payment';

export interface ServiceDeclaration {
  code: string;
  category: Category;
  title: Bilingual;
  /** Two sentences: what it is, what is needed, how long it takes. */
  about: Bilingual;
  authority: Authority;
  fields: readonly FieldSpec[];
  /** Documents to attach (kiosk camera photos). */
  documents: readonly { code: string; label: Bilingual; required: boolean }[];
  feeVnd: number;
  processingDays: number;
  delivery: Delivery;
  /** A joint procedure (liên thông): the other procedures it carries out together. */
  joint?: readonly Bilingual[];
}

const L = (vi: string, en: string): Bilingual => ({ vi, en });

const applicant: FieldSpec[] = [
  { name: 'fullName', label: L('Họ và tên', 'Full name'), kind: 'text', required: true, prefill: 'fullName', maxLength: 100 },
  { name: 'idNumber', label: L('Số định danh cá nhân', 'Personal ID number'), kind: 'idNumber', required: true, prefill: 'idNumber' },
  { name: 'dateOfBirth', label: L('Ngày sinh', 'Date of birth'), kind: 'date', required: true, prefill: 'dateOfBirth' },
];
const phone: FieldSpec = { name: 'phone', label: L('Số điện thoại liên hệ', 'Contact phone'), kind: 'phone', required: true };
const address = (name: string, vi: string, en: string): FieldSpec => ({
  name,
  label: L(vi, en),
  kind: 'text',
  required: true,
  maxLength: 200,
});
const RELATIONSHIPS = [
  { value: 'self', label: L('Chủ hộ', 'Household head') },
  { value: 'spouse', label: L('Vợ/chồng', 'Spouse') },
  { value: 'child', label: L('Con', 'Child') },
  { value: 'parent', label: L('Bố/mẹ', 'Parent') },
  { value: 'sibling', label: L('Anh/chị/em', 'Sibling') },
  { value: 'grandchild', label: L('Cháu', 'Grandchild') },
  { value: 'relative', label: L('Họ hàng khác', 'Other relative') },
  { value: 'tenant', label: L('Người thuê nhà', 'Tenant') },
] as const;
const household: FieldSpec[] = [
  { name: 'headName', label: L('Họ tên chủ hộ', 'Household head’s name'), kind: 'text', required: true, maxLength: 100 },
  {
    name: 'relationship',
    label: L('Quan hệ với chủ hộ', 'Relationship to the head'),
    kind: 'select',
    required: true,
    options: RELATIONSHIPS,
  },
  { name: 'headIdNumber', label: L('Số định danh của chủ hộ', 'Household head’s ID number'), kind: 'idNumber', required: true },
];
const request: FieldSpec = { name: 'request', label: L('Nội dung đề nghị', 'Request'), kind: 'longText', required: true, maxLength: 500 };
const members: FieldSpec = {
  name: 'members',
  label: L('Thành viên cùng thay đổi', 'Members changing together'),
  kind: 'members',
  required: false,
};
const photoOf = (code: string, vi: string, en: string, required = true) => ({ code, label: L(vi, en), required });

export const SERVICES: readonly ServiceDeclaration[] = [
  {
    code: 'temporary_residence',
    category: 'residence',
    title: L('Đăng ký tạm trú (CT01)', 'Temporary residence registration (CT01)'),
    about: L(
      'Đăng ký tạm trú cho bạn hoặc người thân ở tại căn hộ này, theo tờ khai CT01. Cần thông tin chủ hộ và ảnh giấy tờ chỗ ở hợp pháp; công an phường trả lời trong 3 ngày làm việc.',
      'Register temporary residence for you or a relative living here, on form CT01. You need the household head’s details and a photo of the lawful-residence paper; the ward police answer within 3 working days.',
    ),
    authority: 'ward_police',
    fields: [...applicant, address('address', 'Địa chỉ tạm trú', 'Temporary address'), ...household, request, members, phone],
    documents: [photoOf('residence_proof', 'Giấy tờ chứng minh chỗ ở hợp pháp', 'Proof of lawful residence')],
    feeVnd: 0,
    processingDays: 3,
    delivery: 'reviewed_here',
  },
  {
    code: 'temporary_absence',
    category: 'residence',
    title: L('Khai báo tạm vắng', 'Temporary absence declaration'),
    about: L(
      'Khai báo khi bạn vắng mặt khỏi nơi cư trú từ 12 tháng trở lên hoặc theo yêu cầu. Cần nơi đến và thời gian vắng; công an phường xác nhận trong 1 ngày làm việc.',
      'Declare an absence from your residence of 12 months or more, or when required. You need where you go and for how long; the ward police confirm within 1 working day.',
    ),
    authority: 'ward_police',
    fields: [
      ...applicant,
      address('destination', 'Nơi đến', 'Destination'),
      { name: 'fromDate', label: L('Vắng từ ngày', 'Absent from'), kind: 'date', required: true },
      { name: 'toDate', label: L('Đến ngày', 'Until'), kind: 'date', required: true },
      { name: 'reason', label: L('Lý do', 'Reason'), kind: 'longText', required: true, maxLength: 300 },
      phone,
    ],
    documents: [],
    feeVnd: 0,
    processingDays: 1,
    delivery: 'reviewed_here',
  },
  {
    code: 'stay_notice',
    category: 'residence',
    title: L('Thông báo lưu trú', 'Stay notice'),
    about: L(
      'Báo cho công an phường khi có người đến ở lại qua đêm tại căn hộ. Cần họ tên, số định danh của người lưu trú và thời gian ở; được tiếp nhận ngay trong ngày.',
      'Tell the ward police when someone stays overnight in the apartment. You need the guest’s name, ID number and dates; it is received the same day.',
    ),
    authority: 'ward_police',
    fields: [
      ...applicant,
      { name: 'guestName', label: L('Họ tên người lưu trú', 'Guest’s name'), kind: 'text', required: true, maxLength: 100 },
      { name: 'guestIdNumber', label: L('Số định danh người lưu trú', 'Guest’s ID number'), kind: 'idNumber', required: true },
      { name: 'fromDate', label: L('Từ ngày', 'From'), kind: 'date', required: true },
      { name: 'toDate', label: L('Đến ngày', 'Until'), kind: 'date', required: true },
      phone,
    ],
    documents: [],
    feeVnd: 0,
    processingDays: 1,
    delivery: 'reviewed_here',
  },
  {
    code: 'permanent_residence',
    category: 'residence',
    title: L('Đăng ký thường trú', 'Permanent residence registration'),
    about: L(
      'Đăng ký thường trú tại căn hộ bạn sở hữu hoặc được chủ hộ đồng ý. Cần thông tin chủ hộ và ảnh giấy tờ chỗ ở; công an phường giải quyết trong 7 ngày làm việc.',
      'Register permanent residence at an apartment you own or where the household head agrees. You need the head’s details and a photo of the residence paper; the ward police decide within 7 working days.',
    ),
    authority: 'ward_police',
    fields: [...applicant, address('address', 'Địa chỉ thường trú', 'Permanent address'), ...household, request, members, phone],
    documents: [photoOf('residence_proof', 'Giấy tờ chứng minh chỗ ở hợp pháp', 'Proof of lawful residence')],
    feeVnd: 20_000,
    processingDays: 7,
    delivery: 'reviewed_here',
  },
  {
    code: 'id_card_appointment',
    category: 'id_card',
    title: L('Hẹn cấp đổi, cấp lại thẻ căn cước', 'ID-card renewal or reissue appointment'),
    about: L(
      'Đặt lịch đến công an phường để cấp đổi hoặc cấp lại thẻ căn cước. Chọn lý do và ngày mong muốn; công an xác nhận lịch trong 2 ngày làm việc.',
      'Book a visit to the ward police to renew or reissue your ID card. Choose the reason and a preferred day; the police confirm within 2 working days.',
    ),
    authority: 'ward_police',
    fields: [
      ...applicant,
      {
        name: 'reason',
        label: L('Lý do', 'Reason'),
        kind: 'select',
        required: true,
        options: [
          { value: 'expired', label: L('Thẻ hết hạn', 'Card expired') },
          { value: 'lost', label: L('Mất thẻ', 'Card lost') },
          { value: 'damaged', label: L('Thẻ hỏng', 'Card damaged') },
          { value: 'changed', label: L('Thay đổi thông tin', 'Details changed') },
        ],
      },
      { name: 'preferredDate', label: L('Ngày mong muốn', 'Preferred date'), kind: 'date', required: true },
      phone,
    ],
    documents: [],
    feeVnd: 0,
    processingDays: 2,
    delivery: 'reviewed_here',
  },
  {
    code: 'old_id_confirmation',
    category: 'id_card',
    title: L('Xác nhận số CMND cũ', 'Old ID-number confirmation'),
    about: L(
      'Giấy xác nhận số chứng minh nhân dân 9 số cũ của bạn, dùng khi ngân hàng hoặc sổ đỏ còn ghi số cũ. Cần số CMND cũ; công an trả lời trong 3 ngày làm việc.',
      'A letter confirming your old 9-digit ID number, for banks or land papers that still carry it. You need the old number; the police answer within 3 working days.',
    ),
    authority: 'ward_police',
    fields: [
      ...applicant,
      { name: 'oldIdNumber', label: L('Số CMND cũ (9 số)', 'Old ID number (9 digits)'), kind: 'text', required: true, maxLength: 9 },
      phone,
    ],
    documents: [],
    feeVnd: 0,
    processingDays: 3,
    delivery: 'reviewed_here',
  },
  {
    code: 'traffic_fine',
    category: 'payments',
    title: L('Tra cứu và nộp phạt giao thông', 'Traffic fine lookup and payment'),
    about: L(
      'Tra cứu các quyết định xử phạt vi phạm giao thông theo biển số xe và nộp phạt bằng mã VietQR. Cần biển số xe; thanh toán được ghi nhận ngay.',
      'Look up traffic-fine decisions by plate number and pay them with a VietQR code. You need the plate number; the payment is recorded at once.',
    ),
    authority: 'ward_police',
    fields: [{ name: 'customerCode', label: L('Biển số xe', 'Plate number'), kind: 'text', required: true, maxLength: 12 }],
    documents: [],
    feeVnd: 0,
    processingDays: 0,
    delivery: 'payment',
  },
  {
    code: 'birth_registration',
    category: 'civil_status',
    title: L('Đăng ký khai sinh (liên thông)', 'Birth registration (joint)'),
    about: L(
      'Khai sinh cho con, đồng thời đăng ký thường trú và cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi. Cần giấy chứng sinh; hồ sơ được chuyển lên hệ thống liên thông, trả kết quả trong 5 ngày làm việc.',
      'Register your child’s birth together with permanent residence and a health-insurance card for a child under 6. You need the birth certificate from the hospital; it is forwarded to the joint system and answered within 5 working days.',
    ),
    authority: 'commune_committee',
    fields: [
      ...applicant,
      { name: 'childName', label: L('Họ tên trẻ', 'Child’s name'), kind: 'text', required: true, maxLength: 100 },
      { name: 'childDateOfBirth', label: L('Ngày sinh của trẻ', 'Child’s date of birth'), kind: 'date', required: true },
      {
        name: 'childSex',
        label: L('Giới tính của trẻ', 'Child’s sex'),
        kind: 'select',
        required: true,
        options: [
          { value: 'male', label: L('Nam', 'Male') },
          { value: 'female', label: L('Nữ', 'Female') },
        ],
      },
      address('placeOfBirth', 'Nơi sinh', 'Place of birth'),
      { name: 'otherParentName', label: L('Họ tên cha/mẹ còn lại', 'Other parent’s name'), kind: 'text', required: false, maxLength: 100 },
      phone,
    ],
    documents: [photoOf('birth_certificate', 'Giấy chứng sinh', 'Hospital birth certificate')],
    feeVnd: 0,
    processingDays: 5,
    delivery: 'forwarded',
    joint: [
      L('Đăng ký thường trú cho trẻ', 'Permanent residence for the child'),
      L('Cấp thẻ BHYT cho trẻ dưới 6 tuổi', 'Health-insurance card for a child under 6'),
    ],
  },
  {
    code: 'death_registration',
    category: 'civil_status',
    title: L('Đăng ký khai tử (liên thông)', 'Death registration (joint)'),
    about: L(
      'Khai tử cho người thân, đồng thời xóa đăng ký thường trú và đề nghị trợ cấp mai táng. Cần giấy báo tử; ủy ban xã phường trả kết quả trong 3 ngày làm việc.',
      'Register a relative’s death together with removal of their residence and the funeral allowance. You need the death notice; the commune committee answers within 3 working days.',
    ),
    authority: 'commune_committee',
    fields: [
      ...applicant,
      { name: 'deceasedName', label: L('Họ tên người mất', 'Deceased’s name'), kind: 'text', required: true, maxLength: 100 },
      { name: 'deceasedIdNumber', label: L('Số định danh người mất', 'Deceased’s ID number'), kind: 'idNumber', required: true },
      { name: 'dateOfDeath', label: L('Ngày mất', 'Date of death'), kind: 'date', required: true },
      {
        name: 'relationship',
        label: L('Quan hệ với người mất', 'Relationship to the deceased'),
        kind: 'select',
        required: true,
        options: RELATIONSHIPS,
      },
      phone,
    ],
    documents: [photoOf('death_notice', 'Giấy báo tử', 'Death notice')],
    feeVnd: 0,
    processingDays: 3,
    delivery: 'reviewed_here',
    joint: [L('Xóa đăng ký thường trú', 'Removal of permanent residence'), L('Trợ cấp mai táng phí', 'Funeral allowance')],
  },
  {
    code: 'marital_status',
    category: 'civil_status',
    title: L('Xác nhận tình trạng hôn nhân', 'Marriage status confirmation'),
    about: L(
      'Giấy xác nhận bạn đang độc thân hoặc đã kết hôn, dùng để đăng ký kết hôn hoặc mua bán nhà đất. Cần mục đích sử dụng; ủy ban trả kết quả trong 3 ngày làm việc.',
      'A certificate that you are single or married, for marriage registration or property deals. You need the purpose; the committee answers within 3 working days.',
    ),
    authority: 'commune_committee',
    fields: [
      ...applicant,
      {
        name: 'status',
        label: L('Tình trạng hiện tại', 'Current status'),
        kind: 'select',
        required: true,
        options: [
          { value: 'single', label: L('Chưa kết hôn', 'Never married') },
          { value: 'married', label: L('Đã kết hôn', 'Married') },
          { value: 'divorced', label: L('Đã ly hôn', 'Divorced') },
          { value: 'widowed', label: L('Góa', 'Widowed') },
        ],
      },
      { name: 'purpose', label: L('Mục đích sử dụng', 'Purpose'), kind: 'longText', required: true, maxLength: 300 },
      phone,
    ],
    documents: [],
    feeVnd: 0,
    processingDays: 3,
    delivery: 'reviewed_here',
  },
  {
    code: 'judicial_record',
    category: 'justice',
    title: L('Yêu cầu phiếu lý lịch tư pháp', 'Judicial record request'),
    about: L(
      'Yêu cầu Sở Tư pháp cấp phiếu lý lịch tư pháp số 1 hoặc số 2. Cần mục đích và số bản; hồ sơ được chuyển đi, trả kết quả trong 10 ngày làm việc.',
      'Ask the Department of Justice for judicial record no. 1 or no. 2. You need the purpose and the number of copies; it is forwarded and answered within 10 working days.',
    ),
    authority: 'justice_department',
    fields: [
      ...applicant,
      {
        name: 'recordType',
        label: L('Loại phiếu', 'Record type'),
        kind: 'select',
        required: true,
        options: [
          { value: '1', label: L('Phiếu số 1', 'Record no. 1') },
          { value: '2', label: L('Phiếu số 2', 'Record no. 2') },
        ],
      },
      { name: 'copies', label: L('Số bản', 'Copies'), kind: 'number', required: true, min: 1, max: 5 },
      { name: 'purpose', label: L('Mục đích', 'Purpose'), kind: 'longText', required: true, maxLength: 300 },
      phone,
    ],
    documents: [],
    feeVnd: 200_000,
    processingDays: 10,
    delivery: 'forwarded',
  },
  {
    code: 'electricity',
    category: 'payments',
    title: L('Tiền điện', 'Electricity bill'),
    about: L(
      'Tra cứu và thanh toán hóa đơn tiền điện bằng mã VietQR. Cần mã khách hàng in trên hóa đơn; thanh toán được ghi nhận ngay.',
      'Look up and pay your electricity bill with a VietQR code. You need the customer code printed on the bill; the payment is recorded at once.',
    ),
    authority: 'utility',
    fields: [{ name: 'customerCode', label: L('Mã khách hàng', 'Customer code'), kind: 'text', required: true, maxLength: 20 }],
    documents: [],
    feeVnd: 0,
    processingDays: 0,
    delivery: 'payment',
  },
  {
    code: 'water',
    category: 'payments',
    title: L('Tiền nước', 'Water bill'),
    about: L(
      'Tra cứu và thanh toán hóa đơn tiền nước bằng mã VietQR. Cần mã khách hàng in trên hóa đơn; thanh toán được ghi nhận ngay.',
      'Look up and pay your water bill with a VietQR code. You need the customer code printed on the bill; the payment is recorded at once.',
    ),
    authority: 'utility',
    fields: [{ name: 'customerCode', label: L('Mã khách hàng', 'Customer code'), kind: 'text', required: true, maxLength: 20 }],
    documents: [],
    feeVnd: 0,
    processingDays: 0,
    delivery: 'payment',
  },
  {
    code: 'apartment_fee',
    category: 'payments',
    title: L('Phí quản lý chung cư', 'Apartment management fee'),
    about: L(
      'Các khoản phí quản lý ban quản lý tòa nhà đã ghi cho căn hộ của bạn, thanh toán bằng mã VietQR. Chỉ cần thẻ căn cước; thanh toán được ghi nhận ngay.',
      'The management fees the building office entered for your apartment, paid with a VietQR code. Only your ID card is needed; the payment is recorded at once.',
    ),
    authority: 'building_management',
    fields: [],
    documents: [],
    feeVnd: 0,
    processingDays: 0,
    delivery: 'payment',
  },
  {
    code: 'health_insurance',
    category: 'payments',
    title: L('Gia hạn BHYT hộ gia đình', 'Household health-insurance renewal'),
    about: L(
      'Gia hạn thẻ bảo hiểm y tế hộ gia đình và thanh toán bằng mã VietQR. Cần mã số BHXH; thẻ được gia hạn khi thanh toán được ghi nhận.',
      'Renew the household health-insurance card and pay with a VietQR code. You need the social-insurance number; the card is renewed once the payment is recorded.',
    ),
    authority: 'social_insurance',
    fields: [{ name: 'customerCode', label: L('Mã số BHXH', 'Social-insurance number'), kind: 'text', required: true, maxLength: 10 }],
    documents: [],
    feeVnd: 0,
    processingDays: 0,
    delivery: 'payment',
  },
];

export const SERVICE_CODES = SERVICES.map((s) => s.code);
export const serviceByCode = (code: string): ServiceDeclaration | undefined => SERVICES.find((s) => s.code === code);

export const CATEGORY_TITLES: Record<Category, Bilingual> = {
  residence: L('Cư trú', 'Residence'),
  id_card: L('Thẻ căn cước', 'ID card'),
  civil_status: L('Hộ tịch', 'Civil status'),
  justice: L('Tư pháp', 'Justice'),
  payments: L('Thanh toán', 'Payments'),
};

export const AUTHORITY_TITLES: Record<Authority, Bilingual> = {
  ward_police: L('Công an phường', 'Ward police'),
  commune_committee: L('UBND xã, phường', 'Commune committee'),
  justice_department: L('Sở Tư pháp', 'Department of Justice'),
  social_insurance: L('Bảo hiểm xã hội', 'Social insurance'),
  utility: L('Công ty điện, nước', 'Utility company'),
  building_management: L('Ban quản lý tòa nhà', 'Building management'),
};

export const SUBMISSION_STATUSES = ['submitted', 'returned', 'approved', 'done', 'forwarded'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface SubmissionEventView {
  at: string;
  kind: 'submitted' | 'resubmitted' | 'returned' | 'approved' | 'done' | 'forwarded' | 'forward_failed';
  actor: string;
  note: string | null;
}

/** A submission as the resident (kiosk) and the reviewing officer see it. */
export interface SubmissionView {
  id: string;
  receipt: string;
  service: string;
  authority: Authority;
  status: SubmissionStatus;
  fields: Record<string, unknown>;
  attachments: { id: string; document: string; bytes: number }[];
  submittedAt: string;
  promisedBy: string;
  overdue: boolean;
  returnReason: string | null;
  reference: string | null;
  history: SubmissionEventView[];
  applicant?: { fullName: string; idNumber: string };
  station?: { code: string; name: string };
  /** For the kiosk only: the status QR to print on the receipt (services-print.ts). */
  statusQr?: string;
}

/** A receipt's progress as its QR shows it at a kiosk without the card (no personal fields). */
export type ReceiptStatusView = Pick<
  SubmissionView,
  'receipt' | 'service' | 'authority' | 'status' | 'submittedAt' | 'promisedBy' | 'overdue' | 'returnReason' | 'reference' | 'history'
>;

export interface PrefillView {
  fullName: string;
  idNumber: string;
  dateOfBirth: string | null;
  sex: string | null;
}

/** An amount the resident can pay now (an apartment fee, a looked-up bill). */
export interface PayableView {
  id: string;
  kind: 'apartment_fee' | 'bill';
  title: string;
  period: string;
  amountVnd: number;
  paid: boolean;
}

/** A payment the kiosk shows as a VietQR code until the bank notification arrives. */
export interface PaymentView {
  id: string;
  reference: string;
  amountVnd: number;
  status: 'pending' | 'paid';
  vietqr: string;
  payee: { bankBin: string; account: string; name: string };
  paidAt: string | null;
  /** When the provider of a paid bill confirmed it was told (null until then; fees: always null). */
  reportedAt: string | null;
}

export interface FeeLedgerEntry {
  id: string;
  building: string;
  apartment: string;
  period: string;
  amountVnd: number;
  residentIdNumber: string;
  paidAt: string | null;
  reference: string | null;
}
