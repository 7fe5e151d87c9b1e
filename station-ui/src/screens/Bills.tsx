// The bill-payment screen lives in services/ (apartment fees, bill lookup, VietQR).
export { Bills } from './services/Bills.tsx';
