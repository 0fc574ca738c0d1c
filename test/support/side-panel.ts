import type { Locator, Page } from 'playwright-core';

/** The side panel as a rep uses it: by labels and roles, never by CSS classes. */
export class SidePanel {
  constructor(readonly page: Page) {}

  async configure(apiUrl: string, token: string) {
    await this.page.getByLabel('API URL').fill(apiUrl);
    await this.page.getByLabel('API token').fill(token);
    await this.page.getByRole('button', { name: 'Save' }).click();
    await this.page.getByRole('heading', { name: 'This page' }).waitFor();
  }

  async showHotLeads() {
    await this.page.getByRole('tab', { name: 'Hot leads' }).click();
    await this.page.getByRole('heading', { name: 'Hot leads' }).waitFor();
  }

  async addLead(
    fields: Partial<Record<'Full name' | 'E-mail' | 'Title' | 'Company' | 'Phone' | 'LinkedIn URL', string>>,
  ) {
    await this.page.getByRole('tab', { name: 'Add' }).click();
    for (const [label, value] of Object.entries(fields)) {
      await this.page.getByLabel(label, { exact: true }).fill(value);
    }
    await this.page.getByRole('button', { name: 'Save lead' }).click();
  }

  leadList(): Locator {
    return this.page.getByTestId('lead-list');
  }

  status(): Locator {
    return this.page.getByTestId('connection-status');
  }
}
