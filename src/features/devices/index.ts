// What spans every device feature: the names that become file names.
import type { Feature } from '../feature.js';
import { checkDeviceNames } from './check.js';

export const devices: Feature = {
  name: 'devices',
  check({ model, diags }) {
    checkDeviceNames(model, diags); // file names that collide on case-insensitive file systems
  },
};
