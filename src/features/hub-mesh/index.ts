// The multi-region hub: links generated from regions of hubs and spokes.
import type { Feature } from '../feature.js';
import { expandHubMesh } from './expand.js';

export const hubMesh: Feature = {
  name: 'hub-mesh',
  normalize({ doc, model, diags }) {
    const mesh = expandHubMesh(doc.hub_mesh, model.topology.sites, diags);
    model.generatedLinks.push(...mesh.links);
    model.reservedLinkIds.push(...mesh.reserved);
  },
};
