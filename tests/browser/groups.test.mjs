// Starting and managing a group as customers do it on the demo shop: a new customer starts
// an invite-only group from /groups (after a refused first try), invites another customer
// by handle from the management page, the invitee finds the group on /groups and joins,
// and the owner makes them a moderator. axe checks the form with its error and the
// management page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccessibility, open, screenshots, shows, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { signUp } from './support/storefront.mjs';

const folder = 'groups';
const password = 'a long enough password 42';

const site = useSite(folder);

// A customer account with its community profile, made through the pages.
async function newMember(page, { name, email, handle }) {
  await signUp(page, { name, email, password });
  await open(page, '/account/profile/new?next=/groups', 'the profile creation page');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Name shown on your posts').fill(name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.waitForURL((url) => url.pathname === '/groups');
}

test('a customer starts an invite-only group, invites another by handle, who joins and is made moderator', async () => {
  const ownerContext = await site.newContext();
  const inviteeContext = await site.newContext();
  const owner = await ownerContext.newPage();
  const invitee = await inviteeContext.newPage();
  const problems = [owner, invitee].map(watchPage);
  const shots = (name) => screenshots(owner, folder, name);
  await newMember(invitee, { name: 'Omar Benali', email: 'omar@example.com', handle: 'omar.b' });
  await newMember(owner, { name: 'Nora Kim', email: 'nora@example.com', handle: 'nora.k' });

  await owner.getByRole('link', { name: 'Start a group' }).click();
  await shows(owner.getByRole('heading', { level: 1, name: 'Start a group' }), 'the new group form');
  await owner.getByLabel('Handle').fill('night.owls');
  await owner.getByRole('button', { name: 'Start the group' }).click();
  await shows(owner.getByRole('alert').filter({ hasText: 'Give the group a name.' }), 'the error at the name');
  assert.equal(await owner.getByLabel('Handle').inputValue(), 'night.owls', 'the typed handle is kept');
  await checkAccessibility(owner, 'the new group form with an error');
  await shots('new-group-error');

  await owner.getByLabel('Name', { exact: true }).fill('Night owls');
  await owner.getByLabel('Rules').fill('Be kind to each other.');
  await owner.getByLabel(/^Invite-only/).check();
  await owner.getByRole('button', { name: 'Start the group' }).click();
  await owner.waitForURL((url) => url.pathname === '/groups/night.owls');
  await shows(owner.getByRole('heading', { level: 1, name: 'Night owls' }), 'the new group');
  await owner.getByRole('link', { name: 'Manage group' }).click();
  await shows(owner.getByRole('heading', { level: 1, name: 'Manage Night owls' }), 'the management page');

  await owner.getByLabel('Their handle').fill('@omar.b');
  await owner.getByRole('button', { name: 'Invite', exact: true }).click();
  await shows(owner.getByText('The invitation is sent'), 'the notice after inviting');

  await open(invitee, '/groups', 'the groups page');
  await invitee.getByRole('link', { name: 'Night owls' }).first().click();
  await invitee.getByRole('button', { name: 'Accept the invitation' }).click();
  await shows(invitee.getByText('You are a member of this group.'), "the invitee's membership");

  await open(owner, '/groups/night.owls/manage', 'the management page');
  const omar = owner.locator('.group-members li', { hasText: '@omar.b' });
  await omar.getByRole('button', { name: 'Make moderator' }).click();
  await shows(owner.getByText('They are now a moderator of the group.'), 'the notice after appointing');
  await shows(omar.getByText('Moderator', { exact: true }), 'the new moderator in the member list');
  await checkAccessibility(owner, 'the group management page');
  await shots('manage-group');

  await invitee.reload();
  await shows(invitee.getByRole('link', { name: 'Manage group' }), 'the management link for the new moderator');
  assert.deepEqual(problems.flat(), []);
  await ownerContext.close();
  await inviteeContext.close();
});
