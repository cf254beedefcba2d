import type { Pack } from '../pack';
import { packRules } from './pack-rules';
import { AWS_RULE_IDS, except } from './rule-ids';

/** GDPR (Regulation (EU) 2016/679): the articles infrastructure gives evidence for. */
export const GDPR: Pack = {
  id: 'gdpr',
  version: '1.0.0',
  framework: 'GDPR (Regulation (EU) 2016/679)',
  controlPrefix: 'GDPR',
  source: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
  crosswalk: {
    ENC: ['Art. 32(1)(a)'], KEY: ['Art. 32(1)(a)'], TRN: ['Art. 32(1)(a)'],
    NET: ['Art. 25', 'Art. 32(1)(b)'],
    IAM: ['Art. 5(1)(f)', 'Art. 25(2)', 'Art. 32(1)(b)'],
    SOD: ['Art. 5(2)'],
    LOG: ['Art. 5(2)', 'Art. 30'],
    LOGI: ['Art. 32(1)(b)'],
    RET: ['Art. 5(1)(e)'],
    MON: ['Art. 33'],
    CHG: ['Art. 25(1)'],
    VUL: ['Art. 32(1)(d)'],
    INV: ['Art. 30'],
    RES: ['Art. 32(1)(b)', 'Art. 32(1)(c)'],
    DATA: ['Art. 5(1)(b)', 'Art. 5(1)(c)', 'Art. 5(1)(e)', 'Art. 25'],
    RISK: ['Art. 35'],
    OVERSIGHT: ['Art. 22'],
  },
  rules: packRules(except(AWS_RULE_IDS, ['MLOPS-ECR-003', 'MLOPS-SM-023'])),
  controlTitles: {
    'Art. 5(1)(b)': 'Purpose limitation', 'Art. 5(1)(c)': 'Data minimisation', 'Art. 5(1)(e)': 'Storage limitation',
    'Art. 5(1)(f)': 'Integrity and confidentiality', 'Art. 5(2)': 'Accountability', 'Art. 22': 'Automated individual decision-making',
    'Art. 25': 'Data protection by design and by default', 'Art. 25(1)': 'Data protection by design',
    'Art. 25(2)': 'Data protection by default', 'Art. 30': 'Records of processing activities', 'Art. 32(1)(a)': 'Encryption',
    'Art. 32(1)(b)': 'Confidentiality, integrity, availability and resilience', 'Art. 32(1)(c)': 'Restore availability',
    'Art. 32(1)(d)': 'Regular testing of security measures', 'Art. 33': 'Notification of a personal data breach',
    'Art. 35': 'Data protection impact assessment',
  },
};
