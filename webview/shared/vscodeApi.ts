/**
 * The panel's link to the extension host: `acquireVsCodeApi()` (callable once per page), typed messages both
 * ways, and UI state persisted with `setState` (only UI state: data is asked for again with `ready`).
 */
import type { HostToWebview, PanelKind, WebviewToHost } from '../../src/train/protocol';

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

export interface PanelConnection<UiState extends object, Out = WebviewToHost> {
  post(message: Out): void;
  readonly uiState: UiState;
  saveUiState(patch: Partial<UiState>): void;
}

const hostMessageTypes = new Set(['event', 'history', 'architecture', 'status', 'rollout', 'rolloutRefused']);

/** Messages can also come from elsewhere in the page (extensions' frames, devtools): keep only host messages. */
export function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && hostMessageTypes.has((data as { type?: unknown }).type as string);
}

/**
 * Listens first, then posts `ready`, so the host's history replay cannot arrive before the listener exists.
 * Stored UI state is merged over `defaults` (fields added in a later version keep their defaults).
 */
export function connectPanel<UiState extends object>(panel: PanelKind, defaults: UiState, onMessage: (message: HostToWebview) => void): PanelConnection<UiState>;
/** A panel with its own messages (the runs table): `isMessage` keeps those of its host. */
export function connectPanel<UiState extends object, In extends { type: string }, Out>(
  panel: string, defaults: UiState, onMessage: (message: In) => void, isMessage: (data: unknown) => data is In): PanelConnection<UiState, Out>;
export function connectPanel<UiState extends object, In extends { type: string }>(
  panel: string, defaults: UiState, onMessage: (message: In) => void, isMessage: (data: unknown) => data is In = isHostMessage as unknown as (data: unknown) => data is In,
): PanelConnection<UiState, unknown> {
  const api = acquireVsCodeApi();
  const stored = api.getState();
  const uiState: UiState = { ...defaults, ...(typeof stored === 'object' && stored !== null ? (stored as Partial<UiState>) : {}) };
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isMessage(event.data)) return;
    try {
      onMessage(event.data);
    } catch (error) {
      // One malformed event must not leave the panel dead for the rest of the run.
      console.error(`SeqLab ${panel} panel: could not render a '${event.data.type}' message`, error);
    }
  });
  api.postMessage({ type: 'ready', panel });
  return {
    post: (message) => api.postMessage(message),
    uiState,
    saveUiState(patch) {
      Object.assign(uiState, patch);
      api.setState(uiState);
    },
  };
}
