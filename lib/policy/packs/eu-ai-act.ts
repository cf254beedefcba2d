import type { Pack } from '../pack';
import { packRules } from './pack-rules';
import { AWS_RULE_IDS } from './rule-ids';

/** EU AI Act (Regulation (EU) 2024/1689), obligations for high-risk AI systems. */
export const EU_AI_ACT: Pack = {
  id: 'eu-ai-act',
  version: '1.0.0',
  framework: 'EU AI Act (Regulation (EU) 2024/1689), high-risk obligations',
  controlPrefix: 'EU AI Act',
  source: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  crosswalk: {
    ENC: ['Art. 15(5)'], KEY: ['Art. 15(5)'], TRN: ['Art. 15(5)'], NET: ['Art. 15(5)'], IAM: ['Art. 15(5)'],
    SOD: ['Art. 14', 'Art. 17(1)'],
    LOG: ['Art. 12', 'Art. 19', 'Art. 26(6)'],
    LOGI: ['Art. 12'],
    RET: ['Art. 18', 'Art. 19(1)'],
    MON: ['Art. 9', 'Art. 72', 'Art. 73'],
    CHG: ['Art. 9', 'Art. 15(4)', 'Art. 17(1)'],
    VUL: ['Art. 15(5)'],
    SUP: ['Art. 11', 'Art. 15(5)'],
    INV: ['Art. 11', 'Art. 13', 'Art. 18'],
    RES: ['Art. 15(4)'],
    DATA: ['Art. 10'],
    RISK: ['Art. 9'],
    OVERSIGHT: ['Art. 14(4)(e)'],
  },
  rules: packRules(AWS_RULE_IDS),
  controlTitles: {
    'Art. 9': 'Risk management system', 'Art. 10': 'Data and data governance', 'Art. 11': 'Technical documentation (Annex IV)',
    'Art. 12': 'Record-keeping', 'Art. 13': 'Transparency and provision of information to deployers', 'Art. 14': 'Human oversight',
    'Art. 14(4)(e)': 'Ability to interrupt the system (stop)', 'Art. 15(4)': 'Robustness: resilience to errors and faults',
    'Art. 15(5)': 'Cybersecurity', 'Art. 17(1)': 'Quality management system', 'Art. 18': 'Documentation keeping (10 years)',
    'Art. 19': 'Automatically generated logs', 'Art. 19(1)': 'Logs kept at least six months', 'Art. 26(6)': 'Deployer keeps logs',
    'Art. 72': 'Post-market monitoring', 'Art. 73': 'Reporting of serious incidents',
  },
};
