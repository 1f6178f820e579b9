// What IPsec adds to a packet, from the proposal and the path (RFC 4303 ESP,
// RFC 3948 UDP encapsulation when NAT-T is in use, RFC 2784 GRE), so that a
// tunnel's MTU and its TCP MSS clamp follow the real path instead of a
// constant that is exact only for one cipher without NAT-T.

export interface EspShape {
  encryption: string;
  hash: string;
  /** IKE floated to UDP 4500: one end is behind NAT (an Elastic IP). */
  natT: boolean;
}

/** IPv4 + TCP headers: a tunnel's MSS clamp is its MTU minus these. */
export const TCP_IP_HEADERS = 40;
/** The smallest clamp VyOS accepts (and TCP's default MSS): a tunnel too small for it gets no clamp. */
export const MIN_MSS = 536;

/** The MSS clamp for a path of this MTU, at most `cap`; undefined below what VyOS accepts. */
export function mssFor(mtu: number, cap = Infinity): number | undefined {
  const mss = Math.min(mtu - TCP_IP_HEADERS, cap);
  return mss >= MIN_MSS ? mss : undefined;
}
/** The GRE header (no key, no checksum) and the delivery IPv4 header it rides in. */
export const GRE_OVERHEAD = 24;
const OUTER_IP = 20;
const UDP = 8;
const ESP_HEADER = 8;
const ESP_TRAILER = 2;

interface Cipher {
  iv: number;
  block: number;
  /** An AEAD cipher carries its own ICV; the hash does not add one. */
  icv?: number;
}

function cipher(encryption: string): Cipher {
  const gcm = /gcm(64|96|128)$/.exec(encryption) ?? /ccm(64|96|128)$/.exec(encryption);
  if (gcm) return { iv: 8, block: 4, icv: Number(gcm[1]) / 8 };
  if (encryption === 'chacha20poly1305') return { iv: 8, block: 4, icv: 16 };
  if (/gmac$/.test(encryption)) return { iv: 8, block: 4, icv: 16 };
  if (/ctr$/.test(encryption)) return { iv: 8, block: 4 };
  if (encryption === 'null') return { iv: 0, block: 4 };
  if (/^(3des|blowfish|cast)/.test(encryption)) return { iv: 8, block: 8 };
  return { iv: 16, block: 16 }; // AES, Camellia, Serpent, Twofish in CBC mode
}

const ICV: Readonly<Record<string, number>> = { md5: 12, md5_128: 16, sha1: 12, sha1_160: 20, sha256: 16, sha256_96: 12, sha384: 24, sha512: 32, aesxcbc: 12, aescmac: 12 };

/** The size on the wire of an ESP tunnel-mode packet carrying `payload` bytes. */
export function espPacketSize(payload: number, s: EspShape): number {
  return packetSize(s)(payload);
}

function packetSize(s: EspShape): (payload: number) => number {
  const c = cipher(s.encryption);
  const icv = c.icv ?? ICV[s.hash] ?? 16;
  const fixed = OUTER_IP + (s.natT ? UDP : 0) + ESP_HEADER + c.iv + icv;
  return (payload) => fixed + Math.ceil((payload + ESP_TRAILER) / c.block) * c.block;
}

const fitted = new Map<string, number>();

/** The largest inner MTU whose packets, with `inner` bytes of tunnel headers, still fit a `pathMtu` path. */
export function fittingMtu(pathMtu: number, inner: number, s: EspShape): number {
  // Every link asks, and links mostly share one proposal: each shape is worked
  // out once (the schema names the ciphers and hashes, so there are few).
  const key = `${pathMtu} ${inner} ${s.encryption} ${s.hash} ${s.natT}`;
  let m = fitted.get(key);
  if (m === undefined) {
    const size = packetSize(s);
    m = pathMtu - inner;
    while (m > 0 && size(m + inner) > pathMtu) m--;
    fitted.set(key, m);
  }
  return m;
}
