// The data planes vendor rules read (issue 18 item 4): Envoy Gateway, Contour and Istio. Pure; one
// builder so that the model gains one field.

import type { InputDocument } from './types.ts';
import type { Workload } from './workloads.ts';
import { buildEnvoyGatewayModel, type EnvoyGatewayModel } from './envoy-gateway.ts';
import { buildContourModel, type ContourModel } from './contour.ts';
import { buildIstioModel, type IstioModel } from './istio.ts';

export interface DataPlaneModel {
  readonly envoyGateway: EnvoyGatewayModel;
  readonly contour: ContourModel;
  readonly istio: IstioModel;
}

export function buildDataPlaneModel(docs: readonly InputDocument[], workloads: readonly Workload[]): DataPlaneModel {
  return { envoyGateway: buildEnvoyGatewayModel(docs), contour: buildContourModel(docs, workloads), istio: buildIstioModel(docs, workloads) };
}
