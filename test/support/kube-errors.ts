import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';

/** The Status the apiserver answers a failed request with (the fields tests look at). */
export interface KubeStatus {
  readonly code: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly {
      readonly reason?: string;
      readonly message: string;
      readonly field: string;
    }[];
  };
}

/** How a client-node request failed: the HTTP code and the parsed Status body. */
export interface ApiFailure {
  readonly code: number;
  readonly status: KubeStatus;
}

/** The HTTP code and Status of what a client-node request threw; fails the test for anything else. */
export function apiFailure(error: unknown): ApiFailure {
  assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
  return { code: error.code, status: JSON.parse(String(error.body)) as KubeStatus };
}

/** The HTTP code and Status the apiserver rejected `request` with; fails the test if it was accepted. */
export async function rejection(request: Promise<unknown>): Promise<ApiFailure> {
  try {
    await request;
  } catch (error) {
    return apiFailure(error);
  }
  return assert.fail('the apiserver accepted the request');
}
