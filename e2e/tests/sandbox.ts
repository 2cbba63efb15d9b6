import { expect, type APIRequestContext } from '@playwright/test';
import type { Stats } from '../servers';

// The sandbox gateway's test controls, at `sandbox`: its own address, or `/sandbox` under `serve --sandbox`.

export async function armFault(request: APIRequestContext, sandbox: string, fault: string, extra: object = {}) {
  const response = await request.post(`${sandbox}/__sandbox/faults`, { data: { fault, ...extra } });
  expect(response.ok()).toBe(true);
}

export async function clearFaults(request: APIRequestContext, sandbox: string) {
  await request.delete(`${sandbox}/__sandbox/faults`);
}

export async function sandboxStats(request: APIRequestContext, sandbox: string): Promise<Stats> {
  return (await (await request.get(`${sandbox}/__sandbox/stats`)).json()) as Stats;
}
