// The data planes vendor rules read (issue 18 item 4): Envoy Gateway and Contour. Pure; one
// builder so that the model gains one field.

import type { InputDocument } from './types.ts';
import type { Workload } from './workloads.ts';
import { buildEnvoyGatewayModel, type EnvoyGatewayModel } from './envoy-gateway.ts';
import { buildContourModel, type ContourModel } from './contour.ts';

export interface DataPlaneModel {
  readonly envoyGateway: EnvoyGatewayModel;
  readonly contour: ContourModel;
}

export function buildDataPlaneModel(docs: readonly InputDocument[], workloads: readonly Workload[]): DataPlaneModel {
  return { envoyGateway: buildEnvoyGatewayModel(docs), contour: buildContourModel(docs, workloads) };
}
