// The public-services screen lives in services/ (catalogue, forms, receipt, status).
export { Services } from './services/Services.tsx';
