/**
 * Whether each configured chat platform is connected now, as its adapter last said
 * (`AdapterHost.reportHealth`): what /healthz lists. A platform is "not connected" from the
 * moment it is configured until its adapter reports `up`, and again after any other state.
 */
import type { HealthEvent, Platform } from './chat';

export interface PlatformConnection {
  readonly platform: Platform;
  readonly connected: boolean;
  /** When this state began (ms). */
  readonly since: number;
}

/** Read by /healthz; the web console sees only this. */
export interface ConnectionStatus {
  platforms(): readonly PlatformConnection[];
}

export class ConnectionBoard implements ConnectionStatus {
  private readonly states = new Map<Platform, PlatformConnection>();

  /** A configured platform, not connected until its adapter says so. */
  expect(platform: Platform, at: number): void {
    if (!this.states.has(platform)) this.states.set(platform, { platform, connected: false, since: at });
  }

  report(event: HealthEvent, at: number): void {
    const connected = event.state === 'up';
    const before = this.states.get(event.platform);
    if (before?.connected === connected) return;
    this.states.set(event.platform, { platform: event.platform, connected, since: at });
  }

  platforms(): readonly PlatformConnection[] {
    return [...this.states.values()];
  }
}
