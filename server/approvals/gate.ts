export { approvalGate, messageGate } from './service';
