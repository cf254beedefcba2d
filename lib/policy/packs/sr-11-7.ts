import type { Pack } from '../pack';
import { packRules } from './pack-rules';

/**
 * SR 11-7 Guidance on Model Risk Management (Federal Reserve / OCC 2011-12). Runtime guidance: synth enforces
 * its preconditions (inventory, controlled change, monitoring, evidence integrity); approval state is checked
 * at deploy by the registry gate.
 */
export const SR_11_7: Pack = {
  id: 'sr-11-7',
  version: '1.0.0',
  framework: 'SR 11-7 Model Risk Management',
  controlPrefix: 'SR 11-7',
  source: 'https://www.federalreserve.gov/supervisionreg/srletters/sr1107.htm',
  crosswalk: {
    IAM: ['VI roles and responsibilities'],
    SOD: ['V effective challenge', 'VI roles and responsibilities'],
    LOG: ['VI documentation'],
    RET: ['VI documentation'],
    MON: ['V ongoing monitoring', 'V outcomes analysis'],
    CHG: ['IV implementation', 'V validation before use'],
    SUP: ['IV implementation'],
    INV: ['VI model inventory', 'VI documentation'],
    DATA: ['IV data quality'],
    RISK: ['III model risk management', 'VI policies and procedures'],
    OVERSIGHT: ['VI use of models'],
  },
  rules: packRules([
    'MLOPS-S3-004',
    'MLOPS-S3-005',
    'MLOPS-S3-010',
    'MLOPS-KMS-002',
    'MLOPS-KMS-003',
    'MLOPS-CT-001',
    'MLOPS-CT-004',
    'MLOPS-CT-010',
    'MLOPS-LOGS-002',
    'MLOPS-IAM-001',
    'MLOPS-IAM-002',
    'MLOPS-ECR-003',
    'MLOPS-ECR-004',
    'MLOPS-ECR-005',
    'MLOPS-VPC-001',
    'MLOPS-VPC-010',
    'MLOPS-SM-004',
    'MLOPS-SM-007',
    'MLOPS-EKS-003',
  ]),
  controlTitles: {
    'III model risk management': 'Overview of model risk management',
    'IV implementation': 'Model development, implementation and use: implementation matches the validated model',
    'IV data quality': 'Data quality and relevance',
    'V validation before use': 'Model validation before use',
    'V effective challenge': 'Independent validation and effective challenge',
    'V ongoing monitoring': 'Ongoing monitoring',
    'V outcomes analysis': 'Outcomes analysis',
    'VI roles and responsibilities': 'Governance: roles and responsibilities',
    'VI policies and procedures': 'Governance: policies and procedures',
    'VI model inventory': 'Governance: model inventory',
    'VI documentation': 'Governance: documentation',
    'VI use of models': 'Governance: use of models',
  },
};
