import type { DocumentIndex } from '../../../context';
import { attachedPolicies, AttachedPolicies } from './secure-transport';

/** Topic policies by the logical id of each topic they name in `Topics`. */
export const TOPIC_POLICIES: DocumentIndex<AttachedPolicies> = {
  id: 'sns-topic-policies',
  build: (ctx) => attachedPolicies(ctx, 'AWS::SNS::TopicPolicy', 'Topics'),
};
