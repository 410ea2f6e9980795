// Type tests: BX24.callMethod / callBatch over the REST method map, and the callbacks of dialogs, sliders and
// placement.call. Shapes follow Bitrix's REST reference (src/types/rest-records.ts).
import { describe, expectTypeOf, test } from 'vitest'
import {
  createBX24,
  type ajaxError,
  type ajaxResult,
  type BX24CrmSelection,
  type BX24OpenPathResult,
  type BX24SelectedAccess,
  type BX24SelectedUser,
  type CrmDeal,
  type CrmFieldDescription,
  type CrmListRow,
  type PullConfig,
  type RestDateTime,
  type RestUser,
  type Task,
} from '../../src/index'

const BX24 = createBX24({ transport: null })

describe('callMethod', () => {
  test('BX24-34 the promise form resolves with a typed result (never "possibly undefined")', async () => {
    const res = await BX24.callMethod('user.current')
    expectTypeOf(res).toEqualTypeOf<ajaxResult<RestUser>>()
    expectTypeOf(res.data().ID).toEqualTypeOf<string>()
    expectTypeOf(res.data().UF_DEPARTMENT).toEqualTypeOf<number[] | undefined>()
    expectTypeOf(res.error()).toEqualTypeOf<ajaxError | undefined>()
  })

  test('BX24-34 the callback form returns undefined and types the callback', () => {
    const returned = BX24.callMethod('crm.deal.get', { id: 7 }, (res) => {
      expectTypeOf(res.data()).toEqualTypeOf<CrmDeal>()
      expectTypeOf(res.data().OPPORTUNITY).toEqualTypeOf<string>()
      expectTypeOf(res.data().UF_CRM_1721244482250).toEqualTypeOf<unknown>()
    })
    expectTypeOf(returned).toEqualTypeOf<undefined>()
  })

  test('BX24-32 list methods: rows with the selected fields, paging with more()/next()', () => {
    BX24.callMethod('crm.deal.list', { select: ['ID', 'TITLE'], filter: { '>OPPORTUNITY': 5000 }, order: { ID: 'ASC' } }, function onPage(res) {
      expectTypeOf(res.data()).toEqualTypeOf<CrmListRow<CrmDeal>[]>()
      expectTypeOf(res.data()[0]!.ID).toEqualTypeOf<string>()
      expectTypeOf(res.data()[0]!.TITLE).toEqualTypeOf<string | undefined>()
      expectTypeOf(res.more()).toEqualTypeOf<boolean>()
      expectTypeOf(res.total()).toEqualTypeOf<number>()
      if (res.more()) res.next()
    })
  })

  test('common methods of each group have their result types', async () => {
    expectTypeOf((await BX24.callMethod('profile')).data().ADMIN).toEqualTypeOf<boolean>()
    expectTypeOf((await BX24.callMethod('user.get', { FILTER: { ACTIVE: true } })).data()).toEqualTypeOf<RestUser[]>()
    expectTypeOf((await BX24.callMethod('crm.lead.fields')).data()).toEqualTypeOf<Record<string, CrmFieldDescription>>()
    expectTypeOf((await BX24.callMethod('crm.contact.get', { id: 1 })).data().PHONE).toEqualTypeOf<
      { ID: string; VALUE: string; VALUE_TYPE: string; TYPE_ID: 'PHONE' | 'EMAIL' | 'WEB' | 'IM' | 'LINK' }[] | undefined
    >()
    expectTypeOf((await BX24.callMethod('crm.deal.add', { fields: { TITLE: 'x' } })).data()).toEqualTypeOf<number>()
    expectTypeOf((await BX24.callMethod('tasks.task.list', { filter: { RESPONSIBLE_ID: 1 } })).data().tasks).toEqualTypeOf<Task[]>()
    expectTypeOf((await BX24.callMethod('entity.item.get', { ENTITY: 'menu' })).data()[0]!.NAME).toEqualTypeOf<string>()
    expectTypeOf((await BX24.callMethod('placement.list')).data()).toEqualTypeOf<string[]>()
    expectTypeOf((await BX24.callMethod('event.get')).data()[0]!.auth_type).toEqualTypeOf<string>()
    expectTypeOf((await BX24.callMethod('app.option.set', { options: { theme: 'dark' } })).data()).toEqualTypeOf<boolean>()
    expectTypeOf((await BX24.callMethod('pull.application.config.get', { CACHE: 'N' })).data()).toEqualTypeOf<PullConfig>()
    expectTypeOf((await BX24.callMethod('crm.deal.get', { id: 1 })).data().DATE_CREATE).toEqualTypeOf<RestDateTime>()
  })

  test('params the server ignores are allowed; required and known ones are checked', () => {
    void BX24.callMethod('crm.deal.get', { id: 5, select: ['ID'] })
    void BX24.callMethod('crm.deal.get', { ID: '5' })
    // @ts-expect-error crm.deal.get needs an id
    void BX24.callMethod('crm.deal.get')
    // @ts-expect-error crm.deal.get needs an id
    void BX24.callMethod('crm.deal.get', { select: ['ID'] })
    // @ts-expect-error select is a list of field names
    void BX24.callMethod('crm.deal.list', { select: 'ID' })
    // @ts-expect-error order directions are ASC or DESC
    void BX24.callMethod('crm.deal.list', { order: { ID: 'UP' } })
    // @ts-expect-error pull.application.event.add needs COMMAND
    void BX24.callMethod('pull.application.event.add', { PARAMS: {} })
  })

  test('typed results reject unknown fields and wrong types', async () => {
    const me = (await BX24.callMethod('user.current')).data()
    // @ts-expect-error no such field (typo of LAST_NAME)
    void me.LASTNAME
    // @ts-expect-error ID is a string, as Bitrix sends it
    const id: number = me.ID
    void id
  })

  test('any other method falls back to loose params and unknown data, or the type you give', async () => {
    const res = await BX24.callMethod('sonet_group.get', { ORDER: { NAME: 'ASC' } })
    expectTypeOf(res.data()).toEqualTypeOf<unknown>()
    const mine = await BX24.callMethod<{ ID: string }[]>('my.custom.list')
    expectTypeOf(mine.data()).toEqualTypeOf<{ ID: string }[]>()
    BX24.callMethod('odd name/x', null, (r) => expectTypeOf(r.data()).toEqualTypeOf<unknown>())
    // @ts-expect-error the method name is a string
    void BX24.callMethod(42)
    // @ts-expect-error the callback is a function
    BX24.callMethod('user.current', {}, 'callback')
  })

  test('a detached callMethod keeps its types (BX24-35)', async () => {
    const { callMethod } = BX24
    expectTypeOf((await callMethod('user.admin')).data()).toEqualTypeOf<boolean>()
  })
})

describe('callBatch', () => {
  test('BX24-39 results keep the keys and each is typed by its method', () => {
    const returned = BX24.callBatch({ me: ['user.current'], deal: { method: 'crm.deal.get', params: { id: 1 } }, other: ['x.y'] }, (res) => {
      expectTypeOf(res.me).toEqualTypeOf<ajaxResult<RestUser>>()
      expectTypeOf(res.deal.data().TITLE).toEqualTypeOf<string>()
      expectTypeOf(res.other.data()).toEqualTypeOf<unknown>()
      // @ts-expect-error no such key
      void res.missing
    })
    expectTypeOf(returned).toEqualTypeOf<undefined>()
  })

  test('BX24-39 an array gives an array (tuple) of results; the promise form resolves with it', async () => {
    const [me, deals] = await BX24.callBatch([['user.current'], ['crm.deal.list', { select: ['ID'] }]])
    expectTypeOf(me.data()).toEqualTypeOf<RestUser>()
    expectTypeOf(deals.data()).toEqualTypeOf<CrmListRow<CrmDeal>[]>()
  })

  test('with bHaltOnError the later results may be missing', async () => {
    const out = await BX24.callBatch({ a: ['user.current'], b: ['profile'] }, undefined, true)
    expectTypeOf(out.a).toEqualTypeOf<ajaxResult<RestUser> | undefined>()
    BX24.callBatch({ a: ['user.current'] }, (res) => expectTypeOf(res.a).toEqualTypeOf<ajaxResult<RestUser> | undefined>(), true)
  })

  test('lists built at run time are accepted; results are then untyped', () => {
    const calls = [1, 2, 3].map((id) => ['crm.deal.get', { id }])
    BX24.callBatch(calls, (res) => expectTypeOf(res[0]!.data()).toEqualTypeOf<unknown>())
    // @ts-expect-error the commands are an array or an object
    BX24.callBatch('user.current', () => {})
  })
})

describe('dialogs, sliders, placement', () => {
  test('BX24-22 selectUser / selectUsers / selectAccess / selectCRM callbacks, with the argument shuffles', () => {
    BX24.selectUser((user) => expectTypeOf(user).toEqualTypeOf<BX24SelectedUser>())
    BX24.selectUser('Pick one', (user) => expectTypeOf(user.name).toEqualTypeOf<string>())
    BX24.selectUsers((users) => expectTypeOf(users).toEqualTypeOf<BX24SelectedUser[]>())
    BX24.selectAccess((rights) => expectTypeOf(rights).toEqualTypeOf<BX24SelectedAccess[]>())
    BX24.selectAccess(['G2'], (rights) => expectTypeOf(rights[0]!.id).toEqualTypeOf<string>())
    BX24.selectAccess('Title', ['U1'], () => {})
    BX24.selectCRM({ entityType: ['deal', 'contact'], multiple: true, value: { deal: [1] } }, (selection) => {
      expectTypeOf(selection).toEqualTypeOf<BX24CrmSelection>()
      expectTypeOf(selection.deal).toEqualTypeOf<Record<string, { id: string; type: string; place: string; title: string; desc: string; url: string; image?: string }> | undefined>()
    })
    // @ts-expect-error not a CRM entity type
    BX24.selectCRM({ entityType: ['invoice'] }, () => {})
    // @ts-expect-error selectUser passes one user, not a list
    BX24.selectUser((users: BX24SelectedUser[]) => users)
    // @ts-expect-error the callback is required
    BX24.selectUsers()
  })

  test('BX24-22 openApplication, openPath and closeApplication callbacks', () => {
    BX24.openApplication({ opened: true }, () => {}, { width: 800, label: { text: 'x' } })
    BX24.openApplication(() => {})
    BX24.openPath('/crm/deal/details/5/', (result) => {
      expectTypeOf(result).toEqualTypeOf<BX24OpenPathResult>()
      if (result.result === 'error') expectTypeOf(result.errorCode).toEqualTypeOf<string>()
    })
    BX24.closeApplication(() => {})
    // @ts-expect-error the close callback gets nothing
    BX24.openApplication({}, (reason: string) => reason)
    // @ts-expect-error width is a number
    BX24.openApplication({}, () => {}, { width: 'wide' })
  })

  test('BX24-19 placement.call, getInterface, bindEvent, info', () => {
    BX24.placement.call('reloadData', {}, (result) => expectTypeOf(result).toEqualTypeOf<unknown>())
    BX24.placement.call('getStatus', (result) => expectTypeOf(result).toEqualTypeOf<unknown>())
    BX24.placement.call('setValue', 'text')
    BX24.placement.getInterface((iface) => {
      expectTypeOf(iface.command).toEqualTypeOf<string[]>()
      expectTypeOf(iface.event).toEqualTypeOf<string[]>()
    })
    BX24.placement.bindEvent('CallCard::EntityChanged', (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>())
    expectTypeOf(BX24.placement.info().placement).toEqualTypeOf<string>()
    // @ts-expect-error the command is a string
    BX24.placement.call(5)
  })

  test('BX24-20 BX24-21 resizeWindow / fitWindow / setTitle callbacks', () => {
    BX24.resizeWindow(640, '480', (size) => expectTypeOf(size).toEqualTypeOf<{ width: number; height: number }>())
    BX24.fitWindow((size) => expectTypeOf(size.height).toEqualTypeOf<number>())
    BX24.setTitle('Deals', (params) => expectTypeOf(params.title).toEqualTypeOf<string>())
    // @ts-expect-error setTitle needs a title
    BX24.setTitle()
  })

  test('BX24-43 callBind / callUnbind return false for a non-admin, else what callMethod returns', () => {
    const bound = BX24.callBind('ONCRMDEALADD', 'https://app.example/handler', 0, (res) => expectTypeOf(res).toEqualTypeOf<ajaxResult<unknown>>())
    expectTypeOf(bound).toEqualTypeOf<false | undefined | Promise<ajaxResult<unknown>>>()
    BX24.callUnBind('ONCRMDEALADD', 'https://app.example/handler')
  })

  test('the rest of BX24 keeps its own types', () => {
    expectTypeOf(BX24.getDomain()).toEqualTypeOf<string>()
    expectTypeOf(BX24.isAdmin()).toEqualTypeOf<boolean>()
    const auth = BX24.getAuth()
    if (auth) expectTypeOf(auth.access_token).toEqualTypeOf<string>()
    expectTypeOf(BX24.shim.transport()).toEqualTypeOf<string | null>()
  })
})
