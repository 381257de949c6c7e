import { isIP } from 'node:net';
import { z } from 'zod';
import { envKey } from './kit/config';

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * The interface a listener binds to (`…_HOST` keys): an IPv4 or IPv6 address (`0.0.0.0`
 * and `::` for every interface) or a host name, without scheme, port or brackets.
 * A blank value takes the default.
 */
export function listenHost(fallback: string, message: string) {
  return envKey(
    z
      .string()
      .trim()
      .refine((host) => isIP(host) !== 0 || HOSTNAME.test(host), message)
      .default(fallback),
  );
}
