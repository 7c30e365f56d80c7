import { defineMessages } from "./define.js";

/**
 * User-facing text of logging a contact from the customer card (联系记录, issue 17 §2): the
 * form, its validation messages, the question before creating the Interactions table, and what
 * the pane says after a save (where the row went and how to remove it).
 */
export const contact = defineMessages({
  en: {
    "contact.title": "Log a contact",
    "contact.f.type": "Type",
    "contact.type.call": "Call",
    "contact.type.visit": "Visit",
    "contact.type.email": "Email",
    "contact.type.wechat": "WeChat",
    "contact.type.other": "Other",
    "contact.f.when": "Date and time",
    "contact.f.note": "Outcome",
    "contact.f.notePlaceholder": "What was said or agreed",
    "contact.f.deal": "Deal",
    "contact.deal.none": "No deal",
    "contact.deal.open": "Open",
    "contact.deal.won": "Won",
    "contact.deal.lost": "Lost",
    "contact.f.complaint": "This is a complaint",
    "contact.f.next": "Next contact",
    "contact.f.nextHint": "(optional)",
    "contact.save": "Save",
    "contact.saving": "Saving…",
    "contact.cancel": "Cancel",
    "contact.error.typeEmpty":
      "Choose how you contacted the customer: call, visit, email, WeChat or other.",
    "contact.error.typeUnknown":
      "“{value}” is not a contact type: choose call, visit, email, WeChat or other.",
    "contact.error.whenEmpty": "Enter the date and time of the contact.",
    "contact.error.whenBad":
      "“{value}” is not a date and time that can be read: write it as 2026-12-06 14:30.",
    "contact.error.whenFuture":
      "The contact is dated {day:date}, more than a day after today ({today:date}): a contact cannot be logged ahead of time. Check the date.",
    "contact.error.nextBad": "“{value}” is not a date: write the next contact date as 2026-12-20.",
    "contact.error.nextBefore":
      "The next contact date ({next:date}) is before the contact's own date ({day:date}): pick a day on or after {day:date}.",
    "contact.error.noteLong":
      "The outcome note has {n:int} characters with the deal status; an Excel cell holds at most {max:int}. Shorten it.",
    "contact.error.noteDeal.open":
      "The note contains “{word}”, which the follow-up rules read as an open deal. Choose the deal status Open, or reword the note.",
    "contact.error.noteDeal.closing":
      "The note contains “{word}”, which the follow-up rules read as a deal about to close. Reword the note, or log the deal as Open.",
    "contact.error.noteDeal.closed":
      "The note contains “{word}”, which the follow-up rules read as a closed deal. Choose the deal status Won or Lost, or reword the note.",
    "contact.error.noteDeal.none":
      "With this deal status the note must not read as another one. Reword the note.",
    "contact.error.dealUnknown": "“{value}” is not a deal status: choose none, open, won or lost.",
    "contact.error.protected":
      "Sheet {sheet} is protected, so the contact was not logged and nothing was written. Unprotect the sheet (Review › Unprotect Sheet) and save again.",
    "contact.error.workbookProtected":
      "The workbook's structure is protected, so the sheet {sheet} cannot be added and nothing was written. Unprotect the workbook (Review › Protect Workbook) and save again.",
    "contact.error.noColumns":
      "The Interactions table on sheet {sheet} has no {columns} column, which the analysis needs to read a contact. Add the column and save again; nothing was written.",
    "contact.error.noCard":
      "This card belongs to an earlier analysis. Select the customer's row again and log the contact from the new card.",
    "contact.missing.ask":
      "This workbook has no Interactions table yet. Create the sheet {sheet} with the columns {columns} as an Excel table, and log this contact as its first row?",
    "contact.missing.create": "Create sheet and save",
    "contact.created": "Created the sheet {sheet} with an Interactions table.",
    "contact.saved": "Logged in row {row} of sheet {sheet}.",
    "contact.undo":
      "Excel's Undo does not remove what the add-in writes: to remove this entry, delete row {row} of sheet {sheet} (right-click the row number › Delete).",
    "contact.dropped":
      "The table has no {columns} column, so that part of the form was not written.",
    "contact.afterAsOf":
      "The follow-up does not count this contact: it is dated after the as-of date set on the Settings sheet ({asOf:date}), and the rules then count contacts up to that date. Clear that date (or set a later one) and Analyze again to count it.",
    "contact.updated": "The card and the follow-up of {name} are updated.",
  },
  zh: {
    "contact.title": "记录联系",
    "contact.f.type": "方式",
    "contact.type.call": "电话",
    "contact.type.visit": "拜访",
    "contact.type.email": "邮件",
    "contact.type.wechat": "微信",
    "contact.type.other": "其他",
    "contact.f.when": "日期和时间",
    "contact.f.note": "结果",
    "contact.f.notePlaceholder": "谈了什么、约定了什么",
    "contact.f.deal": "商机",
    "contact.deal.none": "无商机",
    "contact.deal.open": "进行中",
    "contact.deal.won": "成交",
    "contact.deal.lost": "丢单",
    "contact.f.complaint": "这是一次投诉",
    "contact.f.next": "下次联系",
    "contact.f.nextHint": "（可不填）",
    "contact.save": "保存",
    "contact.saving": "正在保存…",
    "contact.cancel": "取消",
    "contact.error.typeEmpty": "请选择联系方式：电话、拜访、邮件、微信或其他。",
    "contact.error.typeUnknown": "“{value}”不是联系方式：请选电话、拜访、邮件、微信或其他。",
    "contact.error.whenEmpty": "请填写联系的日期和时间。",
    "contact.error.whenBad": "无法识别“{value}”：请写成 2026-12-06 14:30 这样的日期和时间。",
    "contact.error.whenFuture":
      "联系日期是 {day:date}，比今天（{today:date}）晚了一天以上：不能提前记录联系，请检查日期。",
    "contact.error.nextBad": "无法识别“{value}”：请把下次联系日期写成 2026-12-20 这样。",
    "contact.error.nextBefore":
      "下次联系日期（{next:date}）早于本次联系的日期（{day:date}）：请选 {day:date} 当天或之后的日期。",
    "contact.error.noteLong":
      "结果连同商机状态共有 {n:int} 个字符，而 Excel 一个单元格最多 {max:int} 个字符，请删减。",
    "contact.error.noteDeal.open":
      "结果里的“{word}”会被跟进规则读作商机进行中。请把商机选为“进行中”，或改写结果。",
    "contact.error.noteDeal.closing":
      "结果里的“{word}”会被跟进规则读作商机即将签约。请改写结果，或把商机选为“进行中”。",
    "contact.error.noteDeal.closed":
      "结果里的“{word}”会被跟进规则读作商机已结束。请把商机选为“成交”或“丢单”，或改写结果。",
    "contact.error.noteDeal.none": "选了这个商机状态，结果就不能读作别的状态。请改写结果。",
    "contact.error.dealUnknown": "“{value}”不是商机状态：请选无商机、进行中、成交或丢单。",
    "contact.error.protected":
      "工作表 {sheet} 受保护，联系没有记录，什么也没有写入。请先撤销工作表保护（审阅 › 撤销工作表保护），再保存一次。",
    "contact.error.workbookProtected":
      "工作簿结构受保护，无法添加工作表 {sheet}，什么也没有写入。请先撤销工作簿保护（审阅 › 保护工作簿），再保存一次。",
    "contact.error.noColumns":
      "工作表 {sheet} 上的联系记录表没有“{columns}”列，分析读取联系记录需要它。请加上这一列再保存；什么也没有写入。",
    "contact.error.noCard":
      "这张资料卡来自上一次分析。请重新选中这位客户的行，在新的资料卡上记录联系。",
    "contact.missing.ask":
      "这个工作簿还没有联系记录表。要新建工作表 {sheet}（Excel 表格，列为 {columns}），并把这次联系记为第一行吗？",
    "contact.missing.create": "新建工作表并保存",
    "contact.created": "已新建工作表 {sheet}，内有联系记录表。",
    "contact.saved": "已记录在工作表 {sheet} 的第 {row} 行。",
    "contact.undo":
      "Excel 的“撤销”不能撤回加载项写入的内容：如果记错了，请删除工作表 {sheet} 的第 {row} 行（右键单击行号 › 删除）。",
    "contact.dropped": "表中没有“{columns}”列，表单里的这部分没有写入。",
    "contact.afterAsOf":
      "跟进计划不计入这次联系：它晚于“设置”工作表中填写的截止日期（{asOf:date}），填写了截止日期时，跟进规则只计入这一天以前的联系。如要计入，请清空该日期（或改为更晚的日期），再重新分析。",
    "contact.updated": "{name} 的资料卡和跟进计划已更新。",
  },
});
