import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('date', { name: 'date_of_birth', nullable: true }) dateOfBirth!: string | null;
  @Column('integer', { name: 'baseline_sbp', nullable: true }) baselineSbp!: number | null;
  @Column('integer', { name: 'baseline_dbp', nullable: true }) baselineDbp!: number | null;
  @Column('integer', { name: 'baseline_hr', nullable: true }) baselineHr!: number | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { name: 'support_name', nullable: true }) supportName!: string | null;
  @Column('text', { name: 'support_phone', nullable: true }) supportPhone!: string | null;
  @Column('text', { nullable: true }) notes!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
