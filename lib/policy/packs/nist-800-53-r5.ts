import type { Pack } from '../pack';
import { packRules } from './pack-rules';
import { AWS_RULE_IDS, K8S_RULE_IDS } from './rule-ids';

/** NIST SP 800-53 Revision 5 (base controls and the enhancements the rules give evidence for). */
export const NIST_800_53_R5: Pack = {
  id: 'nist-800-53-r5',
  version: '1.0.0',
  framework: 'NIST SP 800-53 Rev. 5',
  controlPrefix: 'NIST 800-53 r5',
  source: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  crosswalk: {
    ENC: ['SC-28', 'SC-28(1)', 'SC-13'],
    KEY: ['SC-12', 'SC-13'],
    TRN: ['SC-8', 'SC-8(1)'],
    NET: ['SC-7', 'SC-7(5)', 'AC-4'],
    IAM: ['AC-2', 'AC-3', 'AC-6'],
    SOD: ['AC-5', 'CM-5'],
    LOG: ['AU-2', 'AU-3', 'AU-12'],
    LOGI: ['AU-9', 'AU-9(3)', 'SI-7'],
    RET: ['AU-11', 'SI-12'],
    MON: ['CA-7', 'SI-4', 'IR-4', 'IR-6'],
    CHG: ['CM-3', 'CM-4', 'SA-10'],
    VUL: ['RA-5', 'SI-2'],
    SUP: ['CM-14', 'SI-7', 'SR-4', 'SR-11'],
    INV: ['CM-8', 'PM-5'],
    RES: ['CP-9', 'CP-10'],
    DATA: ['SI-12'],
    RISK: ['RA-3', 'PM-9'],
    PSS: ['CM-7', 'AC-6'],
  },
  rules: packRules([...AWS_RULE_IDS, ...K8S_RULE_IDS]),
  controlTitles: {
    'AC-2': 'Account management', 'AC-3': 'Access enforcement', 'AC-4': 'Information flow enforcement',
    'AC-5': 'Separation of duties', 'AC-6': 'Least privilege', 'AU-2': 'Event logging', 'AU-3': 'Content of audit records',
    'AU-9': 'Protection of audit information', 'AU-9(3)': 'Cryptographic protection of audit information',
    'AU-11': 'Audit record retention', 'AU-12': 'Audit record generation', 'CA-7': 'Continuous monitoring',
    'CM-3': 'Configuration change control', 'CM-4': 'Impact analyses', 'CM-5': 'Access restrictions for change',
    'CM-7': 'Least functionality', 'CM-8': 'System component inventory', 'CM-14': 'Signed components',
    'CP-9': 'System backup', 'CP-10': 'System recovery and reconstitution', 'IR-4': 'Incident handling',
    'IR-6': 'Incident reporting', 'PM-5': 'System inventory', 'PM-9': 'Risk management strategy',
    'RA-3': 'Risk assessment', 'RA-5': 'Vulnerability monitoring and scanning', 'SA-10': 'Developer configuration management',
    'SC-7': 'Boundary protection', 'SC-7(5)': 'Deny by default, allow by exception', 'SC-8': 'Transmission confidentiality and integrity',
    'SC-8(1)': 'Cryptographic protection in transit', 'SC-12': 'Cryptographic key establishment and management',
    'SC-13': 'Cryptographic protection', 'SC-28': 'Protection of information at rest', 'SC-28(1)': 'Cryptographic protection at rest',
    'SI-2': 'Flaw remediation', 'SI-4': 'System monitoring', 'SI-7': 'Software, firmware and information integrity',
    'SI-12': 'Information management and retention', 'SR-4': 'Provenance', 'SR-11': 'Component authenticity',
  },
};
