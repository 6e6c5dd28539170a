export { approvalGate } from './service';
