/**
 * bx24-shim/testing: test a Bitrix24 app with no portal. A mock portal from fixtures (REST, tokens, options, pull),
 * an app page run in happy-dom against it, pull messages published into it, the REST calls it received, and a
 * Playwright fixture that hosts an app in the dev portal. Node only; `runApp` needs happy-dom, the fixture
 * Playwright (both dev dependencies of your project).
 * @module bx24-shim/testing
 */
export { createTestPortal, seedFromFile, type TestPortal, type TestPortalOptions, type TestPullMessage, type WaitOptions } from './test-portal'
export { createPullHub, type PullHub, type PullHubConnection, type PublishedPullMessage } from './pull-hub'
export { runApp, type RunAppOptions, type RunningApp } from './run-app'
export { isShimScriptUrl, shimScriptKind, type ShimScriptKind } from './script-urls'
export { attachToPortal, type AttachOptions, type AttachedApp, type ShimWindow } from './attach-app'
export type { RecordedCall } from '../portal/portal'
export type { PortalSeed } from '../portal/seed'
export { devPortalFixtures, type DevPortalFixtures, type DevPortalFixtureOptions, type PortalPage, type PageLike } from './playwright'
export type { DevPortal } from '../dev/server'
