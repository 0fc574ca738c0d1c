import { defineConfig } from 'wxt';

// See README "Permissions" for why each permission is requested.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: ({ browser }) => ({
    name: 'Leadline',
    description: 'Capture leads while you browse, see their live score, log touchpoints in one click.',
    permissions: browser === 'firefox' ? ['storage'] : ['storage', 'sidePanel'],
    action: { default_title: 'Open Leadline' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'leadline@leadline.dev' } } }
      : {}),
  }),
});
