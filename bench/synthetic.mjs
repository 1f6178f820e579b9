// Synthetic topologies for the benchmark: N sites x 2 routers (active and
// standby), sites in a ring so that every site is linked to two others.
export function syntheticTopology(n) {
  const lines = ['vygen: 1', 'defaults:', '  tunnel_pool: 172.16.0.0/12', 'sites:'];
  const ip = (k, host) => `10.${Math.floor(k / 250)}.${k % 250}.${host}`;
  for (let i = 0; i < n; i++) {
    lines.push(
      `  s${i}:`,
      `    asn: ${64512 + i}`,
      `    networks: { connected: ["${ip(2 * i + 1, 0)}/24"], static: [{ prefix: "${100 + Math.floor(i / 250)}.${i % 250}.0.0/16", via: "${ip(2 * i + 1, 1)}" }] }`,
      '    routers:',
    );
    for (const [r, role, host] of [['a', 'active', 10], ['s', 'standby', 11]]) {
      lines.push(
        `      s${i}-${r}:`,
        `        role: ${role}`,
        `        wan: { interface: eth0, address: "${ip(2 * i, host)}/24", gateway: "${ip(2 * i, 1)}" }`,
        `        lan: { interface: eth1, address: "${ip(2 * i + 1, host)}/24" }`,
        `        loopback: "192.${168 + Math.floor(i / 125)}.${(i * 2) % 250}.${host}"`,
      );
    }
  }
  lines.push('links:');
  for (let i = 0; i < n && n > 1; i++) {
    const j = (i + 1) % n;
    if (n === 2 && i === 1) break;
    lines.push(`  - { between: [s${i}-a, s${j}-a], ipsec: { psk: { env: PSK } } }`);
    lines.push(`  - { between: [s${i}-s, s${j}-s], ipsec: { psk: { env: PSK } } }`);
  }
  return `${lines.join('\n')}\n`;
}
