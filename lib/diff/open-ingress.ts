import type { OpenIngress } from './assembly-diff';
import { resourceRef } from './resource-ref';
import type { StackComparison } from './stack-comparison';

/** Peers that mean the whole internet. */
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/**
 * Security-group ingress from anywhere added to a stack, on the resource that declares it (a security group's
 * inline rules or an `AWS::EC2::SecurityGroupIngress`), as cloudformation-diff reads the rules.
 */
export function openIngress(comparison: StackComparison): OpenIngress[] {
  const found: OpenIngress[] = [];
  for (const [logicalId, diff] of comparison.byResource) {
    for (const rule of diff.securityGroupChanges.ingress.additions) {
      const peer = rule.peer;
      if (peer?.kind !== 'cidr-ip' || !isAnywhere(peer.ip)) continue;
      found.push({
        kind: 'open-ingress',
        ...resourceRef(comparison.new!, logicalId),
        concerns: ['public-exposure'],
        group: rule.groupId,
        protocol: rule.describeProtocol(),
        peer: peer.ip,
      });
    }
  }
  return found;
}

/** 0.0.0.0/0 or ::/0, or an intrinsic (`Fn::If`, serialized by cloudformation-diff) that may yield one. */
function isAnywhere(ip: string): boolean {
  return ANYWHERE.has(ip) || (ip.startsWith('{') && [...ANYWHERE].some((range) => ip.includes(`"${range}"`)));
}
