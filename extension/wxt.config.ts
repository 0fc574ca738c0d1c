import { defineConfig } from 'wxt';

// See README "Permissions" for why each permission is requested.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Each content script carries the whole extractor (libphonenumber-js metadata, the public suffix
  // list, microformats): about 505 kB unminified-equivalent, measured; Vite's 500 kB warning there
  // only alarms newcomers. Chunks past 700 kB still warn.
  vite: () => ({ build: { chunkSizeWarningLimit: 700 } }),
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Leadline',
    description: 'Capture leads while you browse, see their live score, log touchpoints in one click.',
    permissions:
      browser === 'firefox'
        ? ['storage', 'alarms', 'activeTab', 'scripting']
        : ['storage', 'alarms', 'sidePanel', 'activeTab', 'scripting'],
    action: { default_title: 'Open Leadline and capture this page' },
    commands: {
      // MV2 (the Firefox build) names the toolbar button's command differently.
      [manifestVersion === 2 ? '_execute_browser_action' : '_execute_action']: {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Open Leadline and capture this page',
      },
    },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'leadline@leadline.dev' } } }
      : {}),
  }),
});
