import { CpuArchitecture, gpuSupport, instanceFamily, NVIDIA_GPU_FAMILIES } from '../../../constructs/eks/gpu-instance-types';
import { NodeAmiType } from '../../../constructs/eks/node-ami-type';

describe('GPU instance families', () => {
  test.each([
    ['g5.xlarge', 'g5', 'NVIDIA A10G'],
    ['g6e.12xlarge', 'g6e', 'NVIDIA L40S'],
    ['p4d.24xlarge', 'p4d', 'NVIDIA A100'],
    ['p5.48xlarge', 'p5', 'NVIDIA H100'],
    ['P5EN.48XLARGE', 'p5en', 'NVIDIA H200'],
  ])('%s is an NVIDIA family (%s, %s)', (type, family, gpu) => {
    expect(gpuSupport(type)).toEqual({ kind: 'nvidia', family: expect.objectContaining({ family, gpu }) });
  });

  test('g5g is an ARM family; the families are unique', () => {
    expect(gpuSupport('g5g.2xlarge')).toMatchObject({ kind: 'nvidia', family: { architecture: CpuArchitecture.ARM_64 } });
    const families = NVIDIA_GPU_FAMILIES.map((f) => f.family);
    expect(new Set(families).size).toBe(families.length);
  });

  test.each([['inf2.xlarge', 'AWS Inferentia2'], ['trn1.32xlarge', 'AWS Trainium'], ['g4ad.xlarge', 'AMD Radeon Pro V520']])(
    '%s is an accelerator but not an NVIDIA GPU', (type, accelerator) => expect(gpuSupport(type)).toEqual({ kind: 'other-accelerator', accelerator }),
  );

  test('general-purpose types have no GPU; the family of p6-b200.48xlarge keeps its suffix', () => {
    expect(gpuSupport('m6i.large')).toEqual({ kind: 'no-gpu' });
    expect(gpuSupport('g5x.large')).toEqual({ kind: 'no-gpu' });
    expect(instanceFamily('p6-b200.48xlarge')).toBe('p6-b200');
  });
});

describe('NodeAmiType', () => {
  test('Bottlerocket NVIDIA: NVIDIA, device plugin included, OS and data volumes', () => {
    const ami = NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA;
    expect([ami.value, ami.isSupported, ami.isNvidia, ami.needsDevicePlugin, ami.architecture]).toEqual(['BOTTLEROCKET_x86_64_NVIDIA', true, true, false, CpuArchitecture.X86_64]);
    expect([ami.volumeDevices, ami.dataDevice]).toEqual([['/dev/xvda', '/dev/xvdb'], '/dev/xvdb']);
  });

  test('AL2023 NVIDIA needs the device plugin and has one root volume', () => {
    const ami = NodeAmiType.AL2023_X86_64_NVIDIA;
    expect([ami.needsDevicePlugin, ami.volumeDevices, ami.dataDevice]).toEqual([true, ['/dev/xvda'], '/dev/xvda']);
  });

  test('the FIPS NVIDIA types eks.NodegroupAmiType lacks, ARM architecture', () => {
    expect(NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA_FIPS.value).toBe('BOTTLEROCKET_x86_64_NVIDIA_FIPS');
    expect(NodeAmiType.BOTTLEROCKET_ARM_64_NVIDIA_FIPS.architecture).toBe(CpuArchitecture.ARM_64);
  });

  test('Amazon Linux 2 and Windows are recognised as unsupported', () => {
    expect([NodeAmiType.of('AL2_x86_64_GPU').isAmazonLinux2, NodeAmiType.of('AL2_x86_64_GPU').isSupported]).toEqual([true, false]);
    expect(NodeAmiType.of('WINDOWS_CORE_2022_x86_64').isSupported).toBe(false);
  });
});
