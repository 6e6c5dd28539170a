/** All lengths in a Presswork document are PDF points (1/72 in). These helpers convert at the edges (UI, CLI). */
export const PT_PER_IN = 72;
export const MM_PER_IN = 25.4;

export const inToPt = (inches: number): number => inches * PT_PER_IN;
export const ptToIn = (pt: number): number => pt / PT_PER_IN;
export const mmToPt = (mm: number): number => (mm / MM_PER_IN) * PT_PER_IN;
export const ptToMm = (pt: number): number => (pt / PT_PER_IN) * MM_PER_IN;

export type LengthUnit = 'pt' | 'mm' | 'in';
export const toPt = (value: number, unit: LengthUnit): number => (unit === 'pt' ? value : unit === 'mm' ? mmToPt(value) : inToPt(value));
export const fromPt = (pt: number, unit: LengthUnit): number => (unit === 'pt' ? pt : unit === 'mm' ? ptToMm(pt) : ptToIn(pt));
