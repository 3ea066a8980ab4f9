// The domain tests' employees: one definition for every test (test/helpers/employees.ts).
export { employee, emptyEmployee } from '../../helpers/employees.js';
