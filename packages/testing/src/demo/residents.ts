// The demo station's residents: made-up people (no real ID numbers: the 12-digit numbers follow
// the CCCD layout — province 079 is Hồ Chí Minh City — but were invented for the demo), living at
// the first station's building.
import type { TestPerson } from '../icao/test-documents.ts';

const ADDRESS = 'Căn hộ B2-1203, Đảo Kim Cương, Phường Bình Trưng, TP. Hồ Chí Minh';

export interface DemoResident {
  key: string;
  person: Partial<TestPerson> & Pick<TestPerson, 'idNumber' | 'fullName' | 'dateOfBirth' | 'sex'>;
}

export const DEMO_RESIDENTS: readonly DemoResident[] = [
  {
    key: 'binh',
    person: {
      idNumber: '079052001234',
      fullName: 'Trần Văn Bình',
      dateOfBirth: '12/05/1952',
      sex: 'Nam',
      expiry: '12/05/2037',
      placeOfOrigin: 'Xã Tân Phú, Tỉnh Đồng Nai',
      placeOfResidence: ADDRESS,
      dateOfIssue: '10/01/2022',
      fatherName: 'Trần Văn Lộc',
      motherName: 'Phạm Thị Sen',
      spouseName: 'Lê Thị Hoa',
    },
  },
  {
    key: 'hoa',
    person: {
      idNumber: '079148005678',
      fullName: 'Lê Thị Hoa',
      dateOfBirth: '08/11/1948',
      sex: 'Nữ',
      expiry: '08/11/2038',
      placeOfOrigin: 'Xã An Hòa, Tỉnh Tây Ninh',
      placeOfResidence: ADDRESS,
      dateOfIssue: '15/03/2022',
      fatherName: 'Lê Văn Tư',
      motherName: 'Ngô Thị Hai',
      spouseName: 'Trần Văn Bình',
    },
  },
  {
    key: 'khoa',
    person: {
      idNumber: '079090012345',
      fullName: 'Nguyễn Minh Khoa',
      dateOfBirth: '21/09/1990',
      sex: 'Nam',
      expiry: '21/09/2030',
      placeOfOrigin: 'Phường Bình Trưng, TP. Hồ Chí Minh',
      placeOfResidence: ADDRESS,
      dateOfIssue: '02/07/2021',
      fatherName: 'Nguyễn Văn Sơn',
      motherName: 'Đỗ Thị Thu',
    },
  },
];
