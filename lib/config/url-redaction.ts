/**
 * Hides the passwords that URLs carry, in any text: `scheme://user:password@host` keeps the user and
 * shows `[hidden]` for the password; `password=`-style parameters (JDBC's `?password=…`, `;password=…`,
 * `pwd=`, `passwd=`, `sslpassword=`…) keep their name; Oracle's `jdbc:oracle:thin:user/password@host`
 * keeps the user. Conservative: nothing else is touched, and hidden text stays hidden when run twice.
 *
 * @example
 * redactUrlCredentials('connect to jdbc:postgresql://app:s3cret@db:5432/x?sslpassword=k failed')
 * // 'connect to jdbc:postgresql://app:[hidden]@db:5432/x?sslpassword=[hidden] failed'
 */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${HIDDEN}@`)
    .replace(ORACLE, (_m, prefix: string, user: string) => `${prefix}${user}/${HIDDEN}@`)
    .replace(PARAM, (_m, lead: string, key: string) => `${lead}${key}=${HIDDEN}`);
}

const HIDDEN = '[hidden]';

// Every repetition that a match may start in is bounded, so the scan stays linear in the text: these
// run on every error message, and a message may quote a 200 kB config value (an unbounded
// `[a-z]*://` from every position is quadratic: 40 kB took 1.5 s).

/**
 * `scheme://user:password@`: the password runs to the last `@` before the path, query or whitespace
 * (so an unencoded `@` in it is hidden too).
 */
const USERINFO = /([a-zA-Z][a-zA-Z0-9+.-]{0,31}:\/\/)([^\s:@/?#[\]]{0,256}):(?:[^\s/?#]{0,1024})@/g;

/** `jdbc:oracle:thin:user/password@` (and `oci`). */
const ORACLE = /(jdbc:oracle:(?:thin|oci\d?):)([^\s/@:]{1,256})\/(?:[^\s@]{0,1024})@/gi;

/** `password=…` and its kin as a URL or connection-string parameter, up to the next separator. */
const PARAM = /(^|[?&;\s{,])([\w.-]{0,64}(?:password|passwd|pwd))=(?:[^&;\s"',}]*)/gi;
