// FailoverIntent (trigger serf) -> <router>.serf.json: the Serf agent's
// configuration (the inter-region design). Serf refuses unknown keys, so the file has no
// comment; the Serf handler's header says what it is and where it goes.
import type { SerfIntent } from '../failover/model.js';

/** Keys in a fixed order, 2-space indent, final newline: the same input gives the same bytes. */
export function renderSerfConfig(s: SerfIntent): string {
  const config = {
    node_name: s.nodeName,
    tags: { role: s.tags.role, site: s.tags.site },
    bind: s.bind,
    retry_join: [...s.join],
    reconnect_interval: s.reconnectInterval,
    reconnect_timeout: s.reconnectTimeout,
    tombstone_timeout: s.tombstoneTimeout,
    event_handlers: [`member-failed,member-leave=${s.handlerPath}`],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
