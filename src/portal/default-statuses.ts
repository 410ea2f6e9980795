// The reference book a fresh portal has (crm.status.*): deal stages of the general and one more funnel, lead
// statuses, sources, deal/contact/company types, industries. Stage-like books carry SEMANTICS and COLOR.

type Entry = [statusId: string, name: string, semantics?: 'S' | 'F']

const BOOKS: Record<string, Entry[]> = {
  DEAL_STAGE: [['NEW', 'New'], ['PREPARATION', 'Preparing documents'], ['PREPAYMENT_INVOICE', 'Prepayment invoice'],
    ['EXECUTING', 'In progress'], ['FINAL_INVOICE', 'Final invoice'], ['WON', 'Deal won', 'S'], ['LOSE', 'Deal lost', 'F']],
  DEAL_STAGE_1: [['C1:NEW', 'New'], ['C1:EXECUTING', 'In progress'], ['C1:WON', 'Deal won', 'S'], ['C1:LOSE', 'Deal lost', 'F']],
  STATUS: [['NEW', 'Unassigned'], ['IN_PROCESS', 'In progress'], ['PROCESSED', 'Processed'], ['JUNK', 'Junk lead', 'F'],
    ['CONVERTED', 'Good lead', 'S']],
  SOURCE: [['CALL', 'Call'], ['EMAIL', 'E-mail'], ['WEB', 'Website'], ['ADVERTISING', 'Advertising'], ['PARTNER', 'Existing client'],
    ['RECOMMENDATION', 'By recommendation'], ['TRADE_SHOW', 'Show/exhibition'], ['WEBFORM', 'CRM form'], ['CALLBACK', 'Callback'],
    ['STORE', 'Online store'], ['OTHER', 'Other']],
  DEAL_TYPE: [['SALE', 'Sales'], ['COMPLEX', 'Integrated sale'], ['GOODS', 'Merchandise sale'], ['SERVICES', 'Service sale'],
    ['SERVICE', 'After-sales service']],
  CONTACT_TYPE: [['CLIENT', 'Clients'], ['SUPPLIER', 'Suppliers'], ['PARTNER', 'Partners'], ['OTHER', 'Other']],
  COMPANY_TYPE: [['CUSTOMER', 'Client'], ['SUPPLIER', 'Supplier'], ['COMPETITOR', 'Competitor'], ['PARTNER', 'Partner'], ['OTHER', 'Other']],
  INDUSTRY: [['IT', 'Information Technology'], ['TELECOM', 'Telecommunication'], ['MANUFACTURING', 'Manufacturing'],
    ['BANKING', 'Banking Services'], ['CONSULTING', 'Consulting'], ['FINANCE', 'Finance'], ['GOVERNMENT', 'Government'],
    ['DELIVERY', 'Delivery'], ['ENTERTAINMENT', 'Entertainment'], ['NOTPROFIT', 'Not-for-profit'], ['OTHER', 'Other']],
}

const STAGE_BOOKS = new Set(['DEAL_STAGE', 'DEAL_STAGE_1', 'STATUS'])
const COLORS = ['#39A8EF', '#2FC6F6', '#55D0E0', '#47E4C2', '#FFA900', '#7BD500', '#FF5752']

export function defaultStatuses(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  for (const [entityId, entries] of Object.entries(BOOKS)) {
    entries.forEach(([statusId, name, semantics], i) => {
      const stage = STAGE_BOOKS.has(entityId)
      const color = COLORS[Math.min(i, COLORS.length - 1)]!
      const row: Record<string, unknown> = {
        ID: rows.length + 1, ENTITY_ID: entityId, STATUS_ID: statusId, NAME: name, NAME_INIT: name, SORT: (i + 1) * 10,
        SYSTEM: semantics || i === 0 ? 'Y' : 'N', CATEGORY_ID: entityId === 'DEAL_STAGE_1' ? 1 : null,
        COLOR: stage ? (semantics === 'F' ? '#FF5752' : semantics === 'S' ? '#7BD500' : color) : null,
        SEMANTICS: stage ? (semantics ?? null) : null,
      }
      if (stage) row.EXTRA = { SEMANTICS: semantics === 'S' ? 'success' : semantics === 'F' ? 'failure' : 'process', COLOR: row.COLOR }
      rows.push(row)
    })
  }
  return rows
}
