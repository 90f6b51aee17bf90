export {
  type Allocation,
  type AllocationClient,
  AllocationClientSchema,
  type AllocationInput,
  AllocationInputSchema,
  type AllocationPlan,
  allocate,
  allocateFirstComeFirstServed,
  allocateOptimal,
  allocationClientFromAdvice,
} from "./allocate.js";
