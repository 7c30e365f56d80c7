/**
 * analysis.xlsx keeps every sheet of the user's: an input sheet is replaced only when an
 * ownership record (the add-in's, or an earlier crm run's) lists it; a user's sheet that carries
 * an owned name stays, and ours goes under a free name. And the user's 手动阶段 Stage override
 * column gets its drop-down list (SPEC §10).
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { writeAnalysisXlsx } from "../../analysis/node/xlsx-write.js";
import { ZipWriter, zipEntries } from "../../analysis/node/zip.js";
import { emptyRecord, recordToXml } from "../../addin/ownership.js";
import type { SheetModel, WorkbookOutput } from "../../analysis/workbook.js";

const ownersSheet = (): SheetModel => ({
  key: "owners",
  name: "客户经理",
  freezeRows: 0,
  charts: [],
  blocks: [
    {
      id: "owners",
      title: null,
      anchor: { row: 0, col: 0 },
      columns: [{ header: "客户经理", format: "text" }],
      rows: [["王经理（分析结果）"]],
    },
  ],
});
const analysisSheet = (): SheetModel => ({ ...ownersSheet(), key: "analysis", name: "分析" });

const output = (sheets: SheetModel[], extra: Partial<WorkbookOutput> = {}): WorkbookOutput => ({
  lang: "zh",
  columns: [],
  sheets,
  ...extra,
});

async function bytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
/** The package with one more custom XML part, as the add-in's customXmlParts.add leaves it. */
async function withPart(buf: Buffer, xml: string): Promise<Buffer> {
  const out = new ZipWriter();
  for (const e of zipEntries(buf)) out.copy(buf, e);
  await out.add("customXml/item1.xml", xml);
  return out.finish();
}

async function userWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const managers = wb.addWorksheet("客户经理");
  managers.getCell("A1").value = "姓名";
  managers.getCell("B1").value = "电话";
  managers.getCell("A2").value = "张三";
  managers.getCell("B2").value = "13800000000";
  wb.addWorksheet("分析").getCell("A1").value = "上次的结果";
  return wb;
}

describe("analysis.xlsx and the user's sheets that carry owned names", () => {
  it("keeps a user's sheet named 客户经理 with its data; ours is 客户经理（2）", async () => {
    const warned: string[] = [];
    const out = await writeAnalysisXlsx({
      input: await bytes(await userWorkbook()),
      output: output([ownersSheet()]),
      warn: (l) => warned.push(l),
    });
    const wb = await read(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["客户经理", "分析", "客户经理（2）"]);
    const user = wb.getWorksheet("客户经理")!;
    expect([user.getCell("A2").value, user.getCell("B2").value]).toEqual(["张三", "13800000000"]);
    expect(wb.getWorksheet("客户经理（2）")!.getCell("A1").value).toBe("客户经理");
    expect(warned).toEqual([expect.stringContaining("客户经理（2）")]);
  });

  it("replaces a sheet the add-in's record lists under its present name, and only that", async () => {
    const record = emptyRecord();
    record.sheets.analysis = {
      id: "{S2}",
      name: "分析",
      used: "A1",
      charts: [],
      fingerprint: null,
    };
    const input = await withPart(await bytes(await userWorkbook()), recordToXml(record));
    const wb = await read(
      await writeAnalysisXlsx({ input, output: output([analysisSheet(), ownersSheet()]) }),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(["客户经理", "分析", "客户经理（2）"]);
    expect(wb.getWorksheet("分析")!.getCell("A2").value).toBe("王经理（分析结果）");
    expect(wb.getWorksheet("客户经理")!.getCell("A2").value).toBe("张三");
  });

  it("on a second run over its own output, replaces its sheets (no 客户经理（3）) and keeps the user's", async () => {
    const first = await writeAnalysisXlsx({
      input: await bytes(await userWorkbook()),
      output: output([ownersSheet()]),
    });
    const second = await writeAnalysisXlsx({ input: first, output: output([ownersSheet()]) });
    const wb = await read(second);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["客户经理", "分析", "客户经理（2）"]);
    expect(wb.getWorksheet("客户经理")!.getCell("A2").value).toBe("张三");
    expect(wb.getWorksheet("分析")!.getCell("A1").value).toBe("上次的结果");
  });

  it("reads the record from inputBytes when the input comes as a loaded workbook", async () => {
    const record = emptyRecord();
    record.sheets.analysis = {
      id: "{S2}",
      name: "分析",
      used: "A1",
      charts: [],
      fingerprint: null,
    };
    const input = await withPart(await bytes(await userWorkbook()), recordToXml(record));
    const wb = await read(
      await writeAnalysisXlsx({
        input: await read(input),
        inputBytes: input,
        output: output([analysisSheet()]),
      }),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(["客户经理", "分析"]);
    expect(wb.getWorksheet("分析")!.getCell("A2").value).toBe("王经理（分析结果）");
  });
});

describe("the Stage override drop-down (SPEC §10)", () => {
  async function customers(own?: boolean): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户");
    ws.addRow(["客户编号", "客户名称", "手动阶段"]);
    ws.addRow(["C1", "甲", ""]);
    ws.addRow(["C2", "乙", "终止期"]);
    if (own)
      ws.getCell("C2").dataValidation = {
        type: "list",
        allowBlank: true,
        formulae: ['"是,否"'],
      };
    return bytes(wb);
  }
  const list = ["开发期", "成长期", "成熟期", "衰退期", "终止期"];
  const dv = (wb: ExcelJS.Workbook) =>
    (
      wb.getWorksheet("客户") as unknown as {
        dataValidations: {
          model: Record<string, { type: string; formulae: string[] } | undefined>;
        };
      }
    ).dataValidations.model;

  it("puts the stages as a list on the user's 手动阶段 column, values untouched", async () => {
    const wb = await read(
      await writeAnalysisXlsx({
        input: await customers(),
        output: output([], { stageOverrideList: list }),
        customersTable: { sheet: "客户", headerRow: 1, firstColumn: 1, rowCount: 2 },
      }),
    );
    const model = dv(wb);
    expect(Object.keys(model).sort()).toEqual(["C2", "C3"]);
    expect(model.C2).toMatchObject({
      type: "list",
      formulae: ['"开发期,成长期,成熟期,衰退期,终止期"'],
    });
    expect(wb.getWorksheet("客户")!.getCell("C3").value).toBe("终止期");
  });

  it("leaves a validation the user set there as it is", async () => {
    const wb = await read(
      await writeAnalysisXlsx({
        input: await customers(true),
        output: output([], { stageOverrideList: list }),
        customersTable: { sheet: "客户", headerRow: 1, firstColumn: 1, rowCount: 2 },
      }),
    );
    const model = dv(wb);
    expect(Object.keys(model)).toEqual(["C2"]);
    expect(model.C2!.formulae).toEqual(['"是,否"']);
  });
});

describe("a user's Customers column that carries a result column's name", () => {
  const gradeColumn = {
    key: "grade" as const,
    header: "Grade",
    format: "text" as const,
    values: ["A", "C"],
  };
  async function input(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Customers");
    ws.addRow(["Customer ID", "Name", "Grade"]);
    ws.addRow(["C1", "Acme", "VIP"]);
    ws.addRow(["C2", "Bolt", "Std"]);
    return bytes(wb);
  }
  const table = { sheet: "Customers", headerRow: 1, firstColumn: 1, rowCount: 2 };
  const out = (): WorkbookOutput => ({ lang: "en", columns: [gradeColumn], sheets: [] });

  it("keeps the user's values; ours is Grade (2), found again on the next run", async () => {
    const warned: string[] = [];
    const first = await writeAnalysisXlsx({
      input: await input(),
      output: out(),
      customersTable: table,
      warn: (l) => warned.push(l),
    });
    const second = await writeAnalysisXlsx({ input: first, output: out(), customersTable: table });
    for (const buf of [first, second]) {
      const ws = (await read(buf)).getWorksheet("Customers")!;
      expect(ws.getRow(1).values).toEqual([undefined, "Customer ID", "Name", "Grade", "Grade (2)"]);
      expect([ws.getCell("C2").value, ws.getCell("C3").value]).toEqual(["VIP", "Std"]);
      expect([ws.getCell("D2").value, ws.getCell("D3").value]).toEqual(["A", "C"]);
    }
    expect(warned).toEqual([expect.stringContaining("Grade (2)")]);
  });
});
