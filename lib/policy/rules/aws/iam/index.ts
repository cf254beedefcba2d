import noAdminAccess from './no-admin-access';
import noServiceWideDataActions from './no-service-wide-data-actions';

/** The IAM rules. */
export const IAM_RULES = [noAdminAccess, noServiceWideDataActions];
