import type { DocumentIndex } from '../../../context';
import { attachedPolicies, AttachedPolicies } from '../sns/secure-transport';

/** Queue policies by the logical id of each queue they name in `Queues` (a Ref to a queue is its URL). */
export const QUEUE_POLICIES: DocumentIndex<AttachedPolicies> = {
  id: 'sqs-queue-policies',
  build: (ctx) => attachedPolicies(ctx, 'AWS::SQS::QueuePolicy', 'Queues'),
};
