// Every feature, in the order its hooks run at each stage. A feature that
// builds on another's model or intents comes after it; the router target
// comes after every feature that adds to router intents. Output files come
// in this order too.
import type { Feature } from './feature.js';
import { awsSetup } from './aws-setup/index.js';
import { cloudVpn } from './cloud-vpn/index.js';
import { devices } from './devices/index.js';
import { dualStack } from './dual-stack/index.js';
import { failover } from './failover/index.js';
import { firewall } from './firewall/index.js';
import { hubMesh } from './hub-mesh/index.js';
import { links } from './links/index.js';
import { lvs } from './lvs/index.js';
import { natPairsFeature } from './nat-pairs/index.js';
import { vyos } from './vyos/index.js';
import { routerConfig } from './router-config/index.js';
import { serf } from './serf/index.js';
import { sites } from './sites/index.js';
import { vrrp } from './vrrp/index.js';

export const FEATURES: readonly Feature[] = Object.freeze([
  sites,
  hubMesh,
  links,
  dualStack,
  cloudVpn,
  vrrp,
  failover,
  awsSetup,
  serf,
  natPairsFeature,
  lvs,
  routerConfig,
  devices,
  firewall,
  vyos,
]);
