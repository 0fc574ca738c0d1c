import type { ExtractResult } from '@leadline/shared/extract';
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { PageReading } from './extract-dom';

/** What a capture of one tab holds: the extractor's result, when, and how it was taken. */
export interface PageCapture {
  tabId: number;
  result: ExtractResult;
  capturedAt: number;
  via: 'content-script' | 'on-demand';
  /** Set when the extractor broke on the page (its error): the page could not be read, which is not "nobody here". */
  unreadable?: string;
}

export type CaptureOutcome =
  | { ok: true; capture: PageCapture }
  | { ok: false; reason: 'no-tab' | 'no-access' | 'failed'; message: string };

/**
 * The one message protocol between contexts: content scripts report captures to the background, the
 * side panel asks the background to capture its tab, and the background asks a content script to
 * extract again.
 */
interface ProtocolMap {
  /** Content script -> background: what is on this page now (after load or an in-page navigation). */
  reportCapture(reading: PageReading): void;
  /** Side panel -> background: capture the tab the panel belongs to, now. */
  captureActiveTab(): CaptureOutcome;
  /** Background -> content script: run the extractor over the live page. */
  extractPage(): PageReading;
  /** Side panel -> background: send what waits in the outbox. */
  drainOutbox(): void;
  /** Side panel -> background: a task changed, count the toolbar badge again. */
  refreshTaskBadge(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
