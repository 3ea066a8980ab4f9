/** Personio's v1 error shape and the messages real accounts answer with. */

export interface PersonioErrorBody {
  success: false;
  error: { code: number; message: string };
}

/** `code` is the HTTP status here; Personio also uses 0 for some errors. */
export function personioError(status: number, message: string): PersonioErrorBody {
  return { success: false, error: { code: status, message } };
}

export const messages = {
  noAuthorization: 'Authorization is not provided',
  invalidAuthorization: 'Provided authorization is not valid',
  wrongCredentials: 'Wrong credentials',
  missingCredentials: 'The client_id and client_secret fields are required.',
  queryCredentials:
    'Passing client_id and client_secret in the query string is no longer supported. ' +
    'Send them in a JSON or form-encoded request body.',
  // Personio answers unknown employees in the account's language; the sandbox account is German.
  employeeNotFound: 'Der Mitarbeiter wurde nicht gefunden',
  tooManyRequests: 'Too Many Requests',
  notFound: 'Not Found',
} as const;
