// Who is calling, as far as the network tells: the client address (behind trusted proxies only)
// and the public base of generated links (PUBLIC_URL, never the Host header the caller chooses).
import { getConnInfo } from "@hono/node-server/conninfo";
import { BlockList, isIP } from "node:net";
import type { Ctx } from "./context.ts";

/** "::ffff:10.0.0.1" (IPv4 seen on an IPv6 socket) is 10.0.0.1. */
const plain = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

/** A matcher for TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 or IPv6 ("10.0.0.0/8", "::1"). */
export function proxyMatcher(entries: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : undefined;
    if (!family) throw new Error(`TRUSTED_PROXIES : « ${entry} » n'est ni une adresse IP ni une plage CIDR.`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (address) => {
    const a = plain(address);
    const family = isIP(a) === 6 ? "ipv6" : isIP(a) === 4 ? "ipv4" : undefined;
    return family !== undefined && list.check(a, family);
  };
}

const matchers = new WeakMap<string[], (address: string) => boolean>();
const matcherOf = (entries: string[]) => {
  let m = matchers.get(entries);
  if (!m) matchers.set(entries, (m = proxyMatcher(entries)));
  return m;
};

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the
 * X-Forwarded-For entries are read from the right (the nearest hop) and the first one that is not
 * a trusted proxy is the client. A header sent by anyone else is ignored: it is whatever the caller
 * wrote. Null without a socket (app.request() in tests).
 */
export function clientAddressOf(socketAddress: string | undefined, forwardedFor: string | undefined, trusted: (a: string) => boolean): string | null {
  if (!socketAddress) return null;
  let client = plain(socketAddress);
  if (!trusted(client) || !forwardedFor) return client;
  const hops = forwardedFor.split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(plain(hops[i])) === 0) return client; // garbage: stop at the last address we could trust
    client = plain(hops[i]);
    if (!trusted(client)) return client;
  }
  return client;
}

export function clientAddress(c: Ctx): string | null {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket.
  }
  return clientAddressOf(socket, c.req.header("x-forwarded-for"), matcherOf(c.get("deps").config.trustedProxies));
}

/** The base of every generated link: PUBLIC_URL (config), no trailing slash. */
export const publicUrl = (c: Ctx) => c.get("deps").config.publicUrl;
