import { Annotations, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { templateDocument } from '../document';
import { PolicyEngine } from '../engine';
import type { Pack } from '../pack';
import { RULE_CATALOG } from '../rules/catalog';
import { describeFinding } from './cdk-validation-plugin';

/** Options for the policy aspect. */
export interface PolicyAspectProps {
  readonly packs: readonly Pack[];
  /** @default - the current date */
  readonly now?: Date;
}

/**
 * The policy aspect: the same rules and verdict as the validation plugin, given early and at the construct.
 * On each stack it renders the stack's resources (after overrides), runs the packs, and puts an error
 * annotation on every violating construct. Runs at `AspectPriority.READONLY`, after mutating aspects.
 */
export class PolicyAspect implements IAspect {
  private readonly engine: PolicyEngine;

  constructor(private readonly props: PolicyAspectProps) {
    this.engine = new PolicyEngine({ catalog: RULE_CATALOG, packs: props.packs });
  }

  public visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    const resources: Record<string, any> = {};
    const constructs = new Map<string, CfnResource>();
    for (const child of node.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || Stack.of(child) !== node) continue;
      const rendered = node.resolve((child as any)._toCloudFormation()).Resources as Record<string, any>;
      for (const [logicalId, resource] of Object.entries(rendered)) {
        resources[logicalId] = resource;
        constructs.set(logicalId, child);
      }
    }
    const document = templateDocument({ Resources: resources }, {
      source: node.templateFile, stack: node.node.path, constructPathOf: (id) => constructs.get(id)?.node.path,
    });
    for (const finding of this.engine.evaluate([document], this.props.now ?? new Date()).findings) {
      const target = constructs.get(finding.appliedByLogicalId ?? finding.logicalId);
      if (!target) continue;
      Annotations.of(target).addError(`${finding.ruleId} ${describeFinding(finding)} [${finding.path}] Fix: ${finding.fix}`);
    }
  }
}
